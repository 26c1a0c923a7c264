import Foundation
import Logging
import PostgresNIO
import SignetCore

/// The brand's distributors, retailers and warehouses, known by GLN. Events
/// name them by GLN too, so a partner added after its first shipments finds
/// them already there.
struct PartnerStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    enum Kind: String, Sendable, CaseIterable, Codable {
        case distributor, retailer, warehouse, other
    }

    struct Partner: Sendable, Equatable {
        var id: Int64
        var name: String
        var gln: GLN
        var kind: Kind
        /// Where the partner may sell (ISO 3166 codes); empty: anywhere.
        var countries: [String]
        /// Seals whose latest holder is this partner.
        var unitsHeld: Int
        var createdAt: Date
    }

    struct Input: Sendable {
        var name: String
        var kind: Kind
        var countries: [String]
    }

    enum Problem: Error, Equatable {
        case glnTaken
    }

    private static let select = """
        SELECT p.id, p.name, p.gln, p.kind, p.countries, p.created_at,
               (SELECT count(*)::int FROM seal_trace t WHERE t.brand_id = p.brand_id AND t.holder_gln = p.gln)
        FROM partners p
        """

    func list(brandID: Int64) async throws -> [Partner] {
        try await partners(PostgresQuery(unsafeSQL: Self.select + " WHERE p.brand_id = $1 ORDER BY lower(p.name), p.gln", binds: {
            var binds = PostgresBindings()
            binds.append(brandID)
            return binds
        }()))
    }

    func find(brandID: Int64, gln: GLN) async throws -> Partner? {
        var binds = PostgresBindings()
        binds.append(brandID)
        binds.append(gln.digits)
        return try await partners(PostgresQuery(unsafeSQL: Self.select + " WHERE p.brand_id = $1 AND p.gln = $2", binds: binds)).first
    }

    func create(brandID: Int64, gln: GLN, _ input: Input, actor: AuditActor) async throws {
        do {
            try await database.transaction(logger: logger) { connection in
                try await connection.query("""
                    INSERT INTO partners (brand_id, name, gln, kind, countries)
                    VALUES (\(brandID), \(input.name), \(gln.digits), \(input.kind.rawValue), \(input.countries))
                    """, logger: logger)
                try await AuditLog.record("partner.create", subject: "partner:\(gln.digits)", details: ["name": input.name],
                                          brandID: brandID, actor: actor, on: connection, logger: logger)
            }
        } catch let error as PSQLError where error.violatedUniqueConstraint != nil {
            throw Problem.glnTaken
        }
    }

    /// - Returns: false when the brand has no partner with `gln`.
    func update(brandID: Int64, gln: GLN, _ input: Input, actor: AuditActor) async throws -> Bool {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE partners SET name = \(input.name), kind = \(input.kind.rawValue), countries = \(input.countries), updated_at = now()
                WHERE brand_id = \(brandID) AND gln = \(gln.digits)
                RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { return false }
            try await AuditLog.record("partner.update", subject: "partner:\(gln.digits)",
                                      details: ["name": input.name, "countries": input.countries.joined(separator: ",")],
                                      brandID: brandID, actor: actor, on: connection, logger: logger)
            return true
        }
    }

    /// Events keep naming the GLN; only the brand's record of the partner goes.
    /// - Returns: false when the brand has no partner with `gln`.
    func delete(brandID: Int64, gln: GLN, actor: AuditActor) async throws -> Bool {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "DELETE FROM partners WHERE brand_id = \(brandID) AND gln = \(gln.digits) RETURNING id", logger: logger
            ).collect()
            guard !rows.isEmpty else { return false }
            try await AuditLog.record("partner.delete", subject: "partner:\(gln.digits)", brandID: brandID, actor: actor,
                                      on: connection, logger: logger)
            return true
        }
    }

    private func partners(_ query: PostgresQuery) async throws -> [Partner] {
        var found: [Partner] = []
        for try await (id, name, gln, kind, countries, created, held) in try await database.query(query, logger: logger)
            .decode((Int64, String, String, String, [String], Date, Int).self)
        {
            guard let gln = GLN(gln), let kind = Kind(rawValue: kind) else { continue }
            found.append(Partner(id: id, name: name, gln: gln, kind: kind, countries: countries, unitsHeld: held, createdAt: created))
        }
        return found
    }
}
