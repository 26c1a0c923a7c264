import Foundation
import Logging
import PostgresNIO
import SignetCore

/// A brand's kinds of product (wine, cosmetics...), each with a stable code
/// that statistics group by and a name per language.
struct ProductTypeStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct ProductType: Sendable, Equatable {
        var code: String
        var names: [String: String]
        var productCount: Int

        /// The name in `language`, else English, else any, else the code.
        func name(in language: Language) -> String {
            names[language.rawValue] ?? names["en"] ?? names.values.sorted().first ?? code
        }
    }

    /// Lower-case letters, digits and hyphens, as the table's CHECK allows.
    static func isValidCode(_ code: String) -> Bool {
        guard let first = code.first, code.count <= 63 else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        return first != "-" && code.allSatisfy(allowed.contains)
    }

    /// The brand's types; with narrowed access, those granted and those of the products granted.
    func list(brandID: Int64, access: ProductAccess) async throws -> [ProductType] {
        let rows = try await database.query("""
            SELECT pt.code, pt.names::text,
                   (SELECT count(*) FROM products p WHERE p.brand_id = pt.brand_id AND p.product_type_id = pt.id)::int
            FROM product_types pt
            WHERE pt.brand_id = \(brandID)
              AND (\(access.productIDs)::bigint[] IS NULL OR pt.id = ANY(\(access.productTypeIDs))
                   OR EXISTS (SELECT 1 FROM products p WHERE p.product_type_id = pt.id AND p.id = ANY(\(access.productIDs))))
            ORDER BY pt.code
            """, logger: logger)
        var types: [ProductType] = []
        for try await (code, names, count) in rows.decode((String, String, Int).self) {
            types.append(ProductType(
                code: code, names: (try? JSONDecoder().decode([String: String].self, from: Data(names.utf8))) ?? [:],
                productCount: count))
        }
        return types
    }

    func create(brandID: Int64, actor: AuditActor, code: String, names: [String: String]) async throws {
        let namesJSON = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
        do {
            try await database.transaction(logger: logger) { connection in
                try await connection.query("""
                    INSERT INTO product_types (brand_id, code, names) VALUES (\(brandID), \(code), \(namesJSON)::jsonb)
                    """, logger: logger)
                try await AuditLog.record(
                    "product_type.create", subject: "product_type:\(code)", brandID: brandID, actor: actor,
                    on: connection, logger: logger)
            }
        } catch let error as PSQLError where error.violatedUniqueConstraint == "product_types_brand_id_code_key" {
            throw CatalogueError.productTypeCodeTaken
        }
    }

    /// Renames a type in every language at once; its code never changes.
    func rename(brandID: Int64, actor: AuditActor, code: String, names: [String: String]) async throws {
        let namesJSON = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE product_types SET names = \(namesJSON)::jsonb, updated_at = now()
                WHERE brand_id = \(brandID) AND code = \(code)
                RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { throw CatalogueError.productTypeNotFound }
            try await AuditLog.record(
                "product_type.rename", subject: "product_type:\(code)", brandID: brandID, actor: actor,
                on: connection, logger: logger)
        }
    }
}
