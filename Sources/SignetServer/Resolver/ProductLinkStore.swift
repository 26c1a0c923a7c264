import Foundation
import Logging
import PostgresNIO
import SignetCore

/// The resolver links a brand gives a product, its lots and serials. Marking a link the default takes
/// the mark from the level's previous default in the same transaction, so each level has one at most.
struct ProductLinkStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct StoredLink: Sendable {
        var id: Int64
        var link: ResolverLink
        var updatedAt: Date
    }

    func list(productID: Int64) async throws -> [StoredLink] {
        try await links(productID: productID, id: nil)
    }

    func find(productID: Int64, id: Int64) async throws -> StoredLink? {
        try await links(productID: productID, id: id).first
    }

    private func links(productID: Int64, id: Int64?) async throws -> [StoredLink] {
        let rows = try await database.query("""
            SELECT id, lot_code, serial, link_type, href, title, array_to_string(languages, ','), media_type, context, is_default, updated_at
            FROM product_links WHERE product_id = \(productID) AND (\(id)::bigint IS NULL OR id = \(id))
            ORDER BY serial NULLS FIRST, lot_code NULLS FIRST, link_type, id
            """, logger: logger)
        var links: [StoredLink] = []
        for try await (id, lot, serial, type, href, title, languages, mediaType, context, isDefault, updatedAt)
            in rows.decode((Int64, String?, String?, String, String, String, String, String?, String?, Bool, Date).self)
        {
            guard let type = GS1LinkType(GS1LinkType.prefix + type) else { continue }
            let level: ResolverLink.Level = if let lot { .lot(lot) } else if let serial { .serial(serial) } else { .product }
            links.append(StoredLink(id: id, link: ResolverLink(
                level: level, type: type, href: href, title: title, languages: languages.split(separator: ",").map(String.init),
                mediaType: mediaType, context: context, isDefault: isDefault), updatedAt: updatedAt))
        }
        return links
    }

    func create(brandID: Int64, productID: Int64, gtin: GTIN, _ link: ResolverLink, actor: AuditActor) async throws -> Int64 {
        try await database.transaction(logger: logger) { connection in
            let (lot, serial) = Self.columns(link.level)
            if link.isDefault { try await clearDefault(productID: productID, level: link.level, except: nil, on: connection) }
            let rows = try await connection.query("""
                INSERT INTO product_links (brand_id, product_id, lot_code, serial, link_type, href, title, languages, media_type, context, is_default)
                VALUES (\(brandID), \(productID), \(lot), \(serial), \(link.type.name), \(link.href), \(link.title), \(link.languages),
                        \(link.mediaType), \(link.context), \(link.isDefault))
                RETURNING id
                """, logger: logger)
            var created: Int64 = 0
            for try await id in rows.decode(Int64.self) { created = id }
            try await AuditLog.record(
                "product_link.create", subject: "product:\(gtin.digits)", details: Self.auditDetails(link, id: created),
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return created
        }
    }

    /// - Returns: false when the product has no link `id`.
    func replace(brandID: Int64, productID: Int64, gtin: GTIN, id: Int64, _ link: ResolverLink, actor: AuditActor) async throws -> Bool {
        try await database.transaction(logger: logger) { connection in
            let (lot, serial) = Self.columns(link.level)
            if link.isDefault { try await clearDefault(productID: productID, level: link.level, except: id, on: connection) }
            let rows = try await connection.query("""
                UPDATE product_links
                SET lot_code = \(lot), serial = \(serial), link_type = \(link.type.name), href = \(link.href), title = \(link.title),
                    languages = \(link.languages), media_type = \(link.mediaType), context = \(link.context),
                    is_default = \(link.isDefault), updated_at = now()
                WHERE id = \(id) AND product_id = \(productID)
                RETURNING id
                """, logger: logger)
            var found = false
            for try await _ in rows.decode(Int64.self) { found = true }
            guard found else { return false }
            try await AuditLog.record(
                "product_link.update", subject: "product:\(gtin.digits)", details: Self.auditDetails(link, id: id),
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return true
        }
    }

    /// - Returns: false when the product has no link `id`.
    func delete(brandID: Int64, productID: Int64, gtin: GTIN, id: Int64, actor: AuditActor) async throws -> Bool {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "DELETE FROM product_links WHERE id = \(id) AND product_id = \(productID) RETURNING link_type, href", logger: logger)
            var deleted: (String, String)?
            for try await row in rows.decode((String, String).self) { deleted = row }
            guard let deleted else { return false }
            try await AuditLog.record(
                "product_link.delete", subject: "product:\(gtin.digits)", details: ["id": "\(id)", "type": deleted.0, "href": deleted.1],
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return true
        }
    }

    private func clearDefault(productID: Int64, level: ResolverLink.Level, except id: Int64?, on connection: PostgresConnection) async throws {
        let (lot, serial) = Self.columns(level)
        try await connection.query("""
            UPDATE product_links SET is_default = false, updated_at = now()
            WHERE product_id = \(productID) AND is_default AND lot_code IS NOT DISTINCT FROM \(lot)
              AND serial IS NOT DISTINCT FROM \(serial) AND (\(id)::bigint IS NULL OR id <> \(id))
            """, logger: logger)
    }

    private static func columns(_ level: ResolverLink.Level) -> (lot: String?, serial: String?) {
        switch level {
        case .product: (nil, nil)
        case .lot(let code): (code, nil)
        case .serial(let serial): (nil, serial)
        }
    }

    private static func auditDetails(_ link: ResolverLink, id: Int64) -> [String: String] {
        var details = ["id": "\(id)", "type": link.type.compact, "href": link.href, "default": "\(link.isDefault)"]
        switch link.level {
        case .product: break
        case .lot(let code): details["lot"] = code
        case .serial(let serial): details["serial"] = serial
        }
        return details
    }
}
