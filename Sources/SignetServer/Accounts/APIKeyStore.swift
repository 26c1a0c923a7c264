import Foundation
import Logging
import PostgresNIO
import SignetCore

/// API keys: created and revoked by owners (portal or `signet keys`), checked on every API call.
public struct APIKeyStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    public init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// An authenticated integration, as every API route sees it.
    public struct Client: Sendable {
        public var keyID: Int64
        public var name: String
        public var brandID: Int64
        public var brandSlug: String
        public var scopes: Set<APIKeyScope>
        /// The products this key may see and change.
        public var access: ProductAccess = .all

        var auditActor: AuditActor { .apiKey(id: keyID, name: name) }
    }

    /// Creates a key and returns it: the only time it is ever shown.
    public func create(
        brandSlug: String, name: String, scopes: [APIKeyScope], expiresAt: Date?, access: ProductAccessGrant = .everything,
        actor: AuditActor
    ) async throws -> String {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(name.count) else { throw AccountError.invalidName }
        if let expiresAt, expiresAt <= Date() { throw AccountError.invalidExpiry }
        let key = APIKeyFormat.generate()
        return try await database.transaction(logger: logger) { connection in
            let brands = try await connection.query("SELECT id FROM brands WHERE slug = \(brandSlug)", logger: logger).collect()
            guard let brandID = try brands.first?.decode(Int64.self) else { throw AccountError.unknownBrand(brandSlug) }
            let taken = try await connection.query(
                "SELECT 1 FROM api_keys WHERE brand_id = \(brandID) AND name = \(name) AND revoked_at IS NULL", logger: logger
            ).collect()
            guard taken.isEmpty else { throw AccountError.keyNameTaken(name) }
            let (typeIDs, productIDs) = try await access.resolve(brandID: brandID, on: connection, logger: logger)
            try await connection.query("""
                INSERT INTO api_keys (brand_id, name, prefix, key_hash, scopes, expires_at, access_product_type_ids, access_product_ids)
                VALUES (\(brandID), \(name), \(APIKeyFormat.prefix(of: key)), \(ByteBuffer(bytes: SecretToken.digest(key))),
                        \(scopes.map(\.rawValue)), \(expiresAt), \(typeIDs), \(productIDs))
                """, logger: logger)
            var details = ["scopes": scopes.map(\.rawValue).joined(separator: ",")]
            if !access.isEverything {
                details["product_types"] = access.productTypeCodes.joined(separator: ",")
                details["products"] = access.gtins.map(\.digits).joined(separator: ",")
            }
            try await AuditLog.record(
                "api_key.create", subject: "api_key:\(name)", details: details,
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return key
        }
    }

    public func revoke(brandSlug: String, name: String, actor: AuditActor) async throws {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE api_keys k SET revoked_at = now()
                FROM brands b
                WHERE b.slug = \(brandSlug) AND k.brand_id = b.id AND k.name = \(name) AND k.revoked_at IS NULL
                RETURNING k.brand_id
                """, logger: logger).collect()
            guard let brandID = try rows.first?.decode(Int64.self) else { throw AccountError.unknownKey(name) }
            try await AuditLog.record(
                "api_key.revoke", subject: "api_key:\(name)", brandID: brandID, actor: actor, on: connection, logger: logger)
        }
    }

    /// The client a presented key belongs to; nil for an unknown, revoked or expired key.
    /// Looked up by the key's SHA-256, so no comparison of secrets happens in Swift.
    public func authenticate(key: String) async throws -> Client? {
        let rows = try await database.query("""
            UPDATE api_keys k SET last_used_at = now()
            FROM brands b
            WHERE k.key_hash = \(ByteBuffer(bytes: SecretToken.digest(key))) AND b.id = k.brand_id
              AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
            RETURNING k.id, k.name, k.brand_id, b.slug, k.scopes,
                      signet_accessible_products(k.brand_id, k.access_product_type_ids, k.access_product_ids),
                      coalesce(k.access_product_type_ids, '{}')
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (id, name, brandID, slug, scopes, productIDs, typeIDs) =
            try row.decode((Int64, String, Int64, String, [String], [Int64]?, [Int64]).self)
        return Client(
            keyID: id, name: name, brandID: brandID, brandSlug: slug, scopes: Set(scopes.compactMap(APIKeyScope.init(rawValue:))),
            access: ProductAccess(productIDs: productIDs, productTypeIDs: typeIDs))
    }

    public struct Listed: Sendable {
        public var id: Int64
        public var name: String
        public var prefix: String
        public var scopes: [String]
        public var createdAt: String
        public var lastUsedAt: String?
        public var expiresAt: String?
        public var revoked: Bool
        /// The narrowing; nil for every product.
        public var access: ProductAccessGrant?
    }

    /// The brand's keys, live first, newest first.
    func list(brandID: Int64) async throws -> [Listed] {
        let rows = try await database.query("""
            SELECT id, name, prefix, scopes, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
                   to_char(last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
                   revoked_at IS NOT NULL, \(unescaped: ProductAccessGrant.selectSQL(alias: "api_keys"))
            FROM api_keys WHERE brand_id = \(brandID)
            ORDER BY revoked_at IS NOT NULL, id DESC
            """, logger: logger)
        var keys: [Listed] = []
        for try await (id, name, prefix, scopes, created, used, expires, revoked, types, gtins)
            in rows.decode((Int64, String, String, [String], String, String?, String?, Bool, [String]?, [String]?).self) {
            keys.append(Listed(id: id, name: name, prefix: prefix, scopes: scopes, createdAt: created, lastUsedAt: used,
                               expiresAt: expires, revoked: revoked, access: ProductAccessGrant.read(typeCodes: types, gtins: gtins)))
        }
        return keys
    }

    /// Revokes the brand's live key with this id; false if there is none.
    func revoke(brandID: Int64, keyID: Int64, actor: AuditActor) async throws -> Bool {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE api_keys SET revoked_at = now() WHERE brand_id = \(brandID) AND id = \(keyID) AND revoked_at IS NULL
                RETURNING name
                """, logger: logger).collect()
            guard let name = try rows.first?.decode(String.self) else { return false }
            try await AuditLog.record("api_key.revoke", subject: "api_key:\(name)", brandID: brandID, actor: actor, on: connection, logger: logger)
            return true
        }
    }
}
