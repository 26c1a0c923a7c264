import Foundation
import Logging
import PostgresNIO
import SignetCore

/// The brand's alert rules as the portal and the API edit them: narrowing by
/// product type codes, GTINs and lots (stored as ids), thresholds in `settings`.
struct AlertRuleStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct Rule: Sendable {
        var id: Int64
        var kind: AlertRule.Kind
        var enabled: Bool
        var productTypeCodes: [String]?
        var gtins: [String]?
        var lots: [LotReference]?
        var settings: AlertRuleSettings

        var input: Input {
            Input(kind: kind, enabled: enabled, productTypeCodes: productTypeCodes, gtins: gtins, lots: lots, settings: settings)
        }
    }

    /// A rule as asked for, before its codes and GTINs are looked up.
    struct Input: Sendable {
        var kind: AlertRule.Kind
        var enabled: Bool
        var productTypeCodes: [String]?
        var gtins: [String]?
        var lots: [LotReference]?
        var settings: AlertRuleSettings
    }

    enum Problem: Error, Equatable {
        case unknownProductTypes([String])
        case unknownProducts([String])
        case unknownLots([LotReference])
    }

    func list(brandID: Int64) async throws -> [Rule] {
        try await rules(brandID: brandID, id: nil)
    }

    func find(brandID: Int64, id: Int64) async throws -> Rule? {
        try await rules(brandID: brandID, id: id).first
    }

    func create(brandID: Int64, _ input: Input, actor: AuditActor) async throws -> Rule {
        let id = try await database.transaction(logger: logger) { connection -> Int64 in
            let scope = try await resolve(brandID: brandID, input, on: connection)
            let rows = try await connection.query("""
                INSERT INTO alert_rules (brand_id, kind, enabled, product_type_ids, product_ids, lot_ids, settings)
                VALUES (\(brandID), \(input.kind.rawValue), \(input.enabled), \(scope.typeIDs), \(scope.productIDs), \(scope.lotIDs),
                        \(try Self.json(input.settings))::jsonb)
                RETURNING id
                """, logger: logger).collect()
            let id = try rows[0].decode(Int64.self)
            try await AuditLog.record(
                "alert_rule.create", subject: "alert_rule:\(id)", details: ["kind": input.kind.rawValue], brandID: brandID, actor: actor,
                on: connection, logger: logger)
            return id
        }
        guard let rule = try await find(brandID: brandID, id: id) else { throw AlertStoreError.unknownValue("rule \(id)") }
        return rule
    }

    /// - Returns: nil when the brand has no such rule.
    func replace(brandID: Int64, id: Int64, _ input: Input, actor: AuditActor) async throws -> Rule? {
        let found = try await database.transaction(logger: logger) { connection -> Bool in
            let scope = try await resolve(brandID: brandID, input, on: connection)
            let rows = try await connection.query("""
                UPDATE alert_rules SET kind = \(input.kind.rawValue), enabled = \(input.enabled), product_type_ids = \(scope.typeIDs),
                                       product_ids = \(scope.productIDs), lot_ids = \(scope.lotIDs), settings = \(try Self.json(input.settings))::jsonb, updated_at = now()
                WHERE brand_id = \(brandID) AND id = \(id)
                RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { return false }
            try await AuditLog.record(
                "alert_rule.update", subject: "alert_rule:\(id)", details: ["kind": input.kind.rawValue, "enabled": String(input.enabled)],
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return true
        }
        return found ? try await find(brandID: brandID, id: id) : nil
    }

    /// - Returns: false when the brand has no such rule.
    func delete(brandID: Int64, id: Int64, actor: AuditActor) async throws -> Bool {
        try await database.transaction(logger: logger) { connection -> Bool in
            let rows = try await connection.query(
                "DELETE FROM alert_rules WHERE brand_id = \(brandID) AND id = \(id) RETURNING kind", logger: logger).collect()
            guard let kind = try rows.first?.decode(String.self) else { return false }
            try await AuditLog.record(
                "alert_rule.delete", subject: "alert_rule:\(id)", details: ["kind": kind], brandID: brandID, actor: actor,
                on: connection, logger: logger)
            return true
        }
    }

    private struct ResolvedScope {
        var typeIDs: [Int64]?
        var productIDs: [Int64]?
        var lotIDs: [Int64]?
    }

    /// Product type codes, GTINs and lots to the brand's ids; every unknown one is a problem.
    private func resolve(brandID: Int64, _ input: Input, on connection: PostgresConnection) async throws -> ResolvedScope {
        let types = try await ids(brandID: brandID, table: "product_types", key: "code", input.productTypeCodes, on: connection)
        guard types.missing.isEmpty else { throw Problem.unknownProductTypes(types.missing) }
        let products = try await ids(brandID: brandID, table: "products", key: "gtin", input.gtins, on: connection)
        guard products.missing.isEmpty else { throw Problem.unknownProducts(products.missing) }
        return ResolvedScope(typeIDs: types.ids, productIDs: products.ids, lotIDs: try await lotIDs(brandID: brandID, input.lots, on: connection))
    }

    private func lotIDs(brandID: Int64, _ lots: [LotReference]?, on connection: PostgresConnection) async throws -> [Int64]? {
        guard let lots else { return nil }
        let rows = try await connection.query("""
            SELECT l.id, p.gtin, l.code
            FROM unnest(\(lots.map(\.gtin.digits))::text[], \(lots.map(\.code))::text[]) AS wanted (gtin, code)
            JOIN products p ON p.brand_id = \(brandID) AND p.gtin = wanted.gtin
            JOIN lots l ON l.product_id = p.id AND l.code = wanted.code
            """, logger: logger).collect()
        let found = try rows.map { try $0.decode((Int64, String, String).self) }
        let missing = lots.filter { lot in !found.contains { $0.1 == lot.gtin.digits && $0.2 == lot.code } }
        guard missing.isEmpty else { throw Problem.unknownLots(missing) }
        return found.map(\.0)
    }

    /// The ids of the brand's rows of `table` whose `key` is one of `values`, and the values without a row.
    private func ids(
        brandID: Int64, table: StaticString, key: StaticString, _ values: [String]?, on connection: PostgresConnection
    ) async throws -> (ids: [Int64]?, missing: [String]) {
        guard let values else { return (nil, []) }
        let rows = try await connection.query("""
            SELECT id, \(unescaped: "\(key)") FROM \(unescaped: "\(table)") WHERE brand_id = \(brandID) AND \(unescaped: "\(key)") = ANY (\(values))
            """, logger: logger).collect()
        let found = try rows.map { try $0.decode((Int64, String).self) }
        return (found.map(\.0), values.filter { value in !found.contains { $0.1 == value } })
    }

    private func rules(brandID: Int64, id: Int64?) async throws -> [Rule] {
        let rows = try await database.query("""
            SELECT r.id, r.kind, r.enabled,
                   CASE WHEN r.product_type_ids IS NULL THEN NULL
                        ELSE ARRAY(SELECT t.code FROM product_types t WHERE t.id = ANY (r.product_type_ids) ORDER BY t.code) END,
                   CASE WHEN r.product_ids IS NULL THEN NULL
                        ELSE ARRAY(SELECT p.gtin FROM products p WHERE p.id = ANY (r.product_ids) ORDER BY p.gtin) END,
                   CASE WHEN r.lot_ids IS NULL THEN NULL
                        ELSE ARRAY(SELECT p.gtin || ' ' || l.code FROM lots l JOIN products p ON p.id = l.product_id
                                   WHERE l.id = ANY (r.lot_ids) ORDER BY p.gtin, l.code) END,
                   r.settings::text
            FROM alert_rules r
            WHERE r.brand_id = \(brandID) AND (\(id)::bigint IS NULL OR r.id = \(id))
            ORDER BY r.id
            """, logger: logger)
        var rules: [Rule] = []
        for try await (id, kind, enabled, types, gtins, lots, settings)
            in rows.decode((Int64, String, Bool, [String]?, [String]?, [String]?, String).self)
        {
            guard let kind = AlertRule.Kind(rawValue: kind) else { continue }
            rules.append(Rule(
                id: id, kind: kind, enabled: enabled, productTypeCodes: types, gtins: gtins,
                lots: lots?.compactMap(LotReference.init(line:)), settings: .decode(settings)))
        }
        return rules
    }

    private static func json(_ settings: AlertRuleSettings) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(settings), as: UTF8.self)
    }
}
