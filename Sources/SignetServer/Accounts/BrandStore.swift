import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Brands: created by an operator (`signet brands create`), each with its own seal key.
public struct BrandStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    public init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public struct Brand: Sendable {
        public var id: Int64
        public var slug: String
        public var name: String
        public var defaultLanguage: Language
    }

    /// Creates a brand with a fresh 32-byte seal key made by PostgreSQL's CSPRNG.
    public func create(slug: String, name: String, defaultLanguage: Language) async throws -> Brand {
        guard slug.utf8.count <= 63, let first = slug.first, first != "-",
              slug.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { throw AccountError.invalidSlug(slug) }
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...200).contains(name.count) else { throw AccountError.invalidName }
        return try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                INSERT INTO brands (slug, name, seal_key, default_language)
                VALUES (\(slug), \(name), gen_random_bytes(32), \(defaultLanguage.rawValue))
                ON CONFLICT (slug) DO NOTHING
                RETURNING id
                """, logger: logger).collect()
            guard let id = try rows.first?.decode(Int64.self) else { throw AccountError.brandExists(slug) }
            try await AuditLog.record("brand.create", subject: "brand:\(slug)", brandID: id, actor: .commandLine, on: connection, logger: logger)
            return Brand(id: id, slug: slug, name: name, defaultLanguage: defaultLanguage)
        }
    }

    public func find(slug: String) async throws -> Brand? {
        let rows = try await database.query(
            "SELECT id, slug, name, default_language FROM brands WHERE slug = \(slug)", logger: logger
        ).collect()
        guard let row = rows.first else { return nil }
        let (id, slug, name, language) = try row.decode((Int64, String, String, String).self)
        return Brand(id: id, slug: slug, name: name, defaultLanguage: Language(rawValue: language) ?? .en)
    }
}
