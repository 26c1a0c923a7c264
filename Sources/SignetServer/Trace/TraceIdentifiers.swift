import Logging
import PostgresNIO
import SignetCore

/// The brand's seals, lots and products an event document names, looked up
/// in three queries for the whole document. What is not the brand's stays
/// out, so one brand can never write events about another's goods.
struct TraceIdentifiers: Sendable {
    private(set) var seals: [EPCIdentifier: Int64] = [:]
    private(set) var lots: [EPCIdentifier: Int64] = [:]
    private(set) var products: [String: Int64] = [:]

    static func resolve(brandID: Int64, _ identifiers: some Sequence<EPCIdentifier>, on connection: PostgresConnection,
                        logger: Logger) async throws -> TraceIdentifiers {
        var gtins = Set<String>()
        var items: [(gtin: String, serial: String)] = []
        var lots: [(gtin: String, code: String)] = []
        for identifier in Set(identifiers) {
            switch identifier {
            case .item(let gtin, let serial): gtins.insert(gtin.digits); items.append((gtin.digits, serial))
            case .lot(let gtin, let lot): gtins.insert(gtin.digits); lots.append((gtin.digits, lot))
            case .product(let gtin): gtins.insert(gtin.digits)
            case .container, .location, .party: break
            }
        }
        var found = TraceIdentifiers()
        guard !gtins.isEmpty else { return found }
        for try await (id, gtin) in try await connection.query(
            "SELECT id, gtin FROM products WHERE brand_id = \(brandID) AND gtin = ANY(\(Array(gtins)))", logger: logger
        ).decode((Int64, String).self) {
            found.products[gtin] = id
        }
        if !items.isEmpty {
            for try await (id, gtin, serial) in try await connection.query("""
                SELECT s.id, p.gtin, s.serial::text
                FROM unnest(\(items.map(\.gtin))::text[], \(items.map(\.serial))::text[]) AS wanted (gtin, serial)
                JOIN products p ON p.brand_id = \(brandID) AND p.gtin = wanted.gtin
                JOIN seals s ON s.product_id = p.id AND s.serial = wanted.serial
                """, logger: logger).decode((Int64, String, String).self) {
                if let gtin = GTIN(gtin) { found.seals[.item(gtin, serial: serial)] = id }
            }
        }
        if !lots.isEmpty {
            for try await (id, gtin, code) in try await connection.query("""
                SELECT l.id, p.gtin, l.code::text
                FROM unnest(\(lots.map(\.gtin))::text[], \(lots.map(\.code))::text[]) AS wanted (gtin, code)
                JOIN products p ON p.brand_id = \(brandID) AND p.gtin = wanted.gtin
                JOIN lots l ON l.product_id = p.id AND l.code = wanted.code
                """, logger: logger).decode((Int64, String, String).self) {
                if let gtin = GTIN(gtin) { found.lots[.lot(gtin, lot: code)] = id }
            }
        }
        return found
    }

    /// Why `identifier` cannot be used by this brand; nil when it can.
    /// Containers are the brand's own by being named, places and parties need no lookup.
    func problem(with identifier: EPCIdentifier) -> String? {
        switch identifier {
        case .item(let gtin, let serial):
            guard products[gtin.digits] != nil else { return Self.notOurs(gtin) }
            return seals[identifier] == nil ? "This brand has no seal with serial \(serial) of GTIN \(gtin.digits)." : nil
        case .lot(let gtin, let lot):
            guard products[gtin.digits] != nil else { return Self.notOurs(gtin) }
            return lots[identifier] == nil ? "This brand has no lot \(lot) of GTIN \(gtin.digits)." : nil
        case .product(let gtin):
            return products[gtin.digits] == nil ? Self.notOurs(gtin) : nil
        case .container, .location, .party:
            return nil
        }
    }

    private static func notOurs(_ gtin: GTIN) -> String {
        "GTIN \(gtin.digits) is not one of this brand's products."
    }
}
