import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Brand managers' accounts and their one-time sign-in links.
public struct UserStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    /// How long an invitation or reset link stays usable.
    public static let signInLinkLifetime: Duration = .seconds(72 * 3600)

    public init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public struct User: Sendable {
        public var id: Int64
        public var brandID: Int64
        public var email: String
        public var role: Role
    }

    /// Creates a user of `brandSlug`. Without a password hash the user has no
    /// way in until they follow the returned one-time link's token.
    public func create(
        brandSlug: String, email rawEmail: String, role: Role, passwordHash: String?, actor: AuditActor
    ) async throws -> (user: User, signInToken: String?) {
        guard let email = EmailAddress(rawEmail) else { throw AccountError.invalidEmail(rawEmail) }
        return try await database.transaction(logger: logger) { connection in
            let brands = try await connection.query("SELECT id FROM brands WHERE slug = \(brandSlug)", logger: logger).collect()
            guard let brandID = try brands.first?.decode(Int64.self) else { throw AccountError.unknownBrand(brandSlug) }
            let rows = try await connection.query("""
                INSERT INTO users (brand_id, email, role, password_hash)
                VALUES (\(brandID), \(email.value), \(role.rawValue), \(passwordHash))
                ON CONFLICT (email) DO NOTHING
                RETURNING id
                """, logger: logger).collect()
            guard let id = try rows.first?.decode(Int64.self) else { throw AccountError.emailTaken(email.value) }
            let user = User(id: id, brandID: brandID, email: email.value, role: role)
            try await AuditLog.record(
                "user.create", subject: "user:\(email.value)", details: ["role": role.rawValue],
                brandID: brandID, actor: actor, on: connection, logger: logger)
            let token = passwordHash == nil ? try await Self.insertSignInLink(for: user, on: connection, logger: logger) : nil
            return (user, token)
        }
    }

    /// A new one-time link for an existing user of the brand (a reset); earlier unused links stop working.
    public func issueSignInLink(brandID: Int64, email: String, actor: AuditActor) async throws -> String {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT id, role FROM users WHERE brand_id = \(brandID) AND email = \(email.lowercased())", logger: logger
            ).collect()
            guard let (id, roleText) = try rows.first?.decode((Int64, String).self), let role = Role(rawValue: roleText) else {
                throw AccountError.unknownUser(email)
            }
            try await connection.query(
                "UPDATE sign_in_links SET used_at = now() WHERE user_id = \(id) AND used_at IS NULL", logger: logger)
            try await AuditLog.record(
                "user.reset_sign_in", subject: "user:\(email)", brandID: brandID, actor: actor, on: connection, logger: logger)
            return try await Self.insertSignInLink(
                for: User(id: id, brandID: brandID, email: email, role: role), on: connection, logger: logger)
        }
    }

    private static func insertSignInLink(for user: User, on connection: PostgresConnection, logger: Logger) async throws -> String {
        let token = SecretToken.generate()
        let seconds = Int(signInLinkLifetime.components.seconds)
        try await connection.query("""
            INSERT INTO sign_in_links (token_hash, brand_id, user_id, expires_at)
            VALUES (\(ByteBuffer(bytes: SecretToken.digest(token))), \(user.brandID), \(user.id), now() + make_interval(secs => \(seconds)))
            """, logger: logger)
        return token
    }

    /// The e-mail a usable sign-in link belongs to, or nil (unknown, used, expired, disabled user).
    public func emailForSignInLink(_ token: String) async throws -> String? {
        let rows = try await database.query("""
            SELECT u.email FROM sign_in_links l JOIN users u ON u.id = l.user_id
            WHERE l.token_hash = \(ByteBuffer(bytes: SecretToken.digest(token)))
              AND l.used_at IS NULL AND l.expires_at > now() AND u.disabled_at IS NULL
            """, logger: logger).collect()
        return try rows.first?.decode(String.self)
    }

    /// Uses up the link and sets the password; every existing session of the user ends.
    /// Returns the user's e-mail, or nil if the link was not usable.
    public func redeemSignInLink(_ token: String, passwordHash: String) async throws -> String? {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE sign_in_links l SET used_at = now()
                FROM users u
                WHERE l.token_hash = \(ByteBuffer(bytes: SecretToken.digest(token))) AND u.id = l.user_id
                  AND l.used_at IS NULL AND l.expires_at > now() AND u.disabled_at IS NULL
                RETURNING u.id, u.brand_id, u.email
                """, logger: logger).collect()
            guard let (userID, brandID, email) = try rows.first?.decode((Int64, Int64, String).self) else { return nil }
            try await connection.query(
                "UPDATE users SET password_hash = \(passwordHash) WHERE id = \(userID)", logger: logger)
            try await connection.query("DELETE FROM sessions WHERE user_id = \(userID)", logger: logger)
            try await AuditLog.record(
                "user.set_password", subject: "user:\(email)", brandID: brandID,
                actor: .user(id: userID, email: email), on: connection, logger: logger)
            return email
        }
    }

    public struct Credentials: Sendable {
        public var userID: Int64
        public var brandID: Int64
        public var passwordHash: String?
        public var disabled: Bool
    }

    /// What a sign-in checks, by e-mail.
    public func credentials(email: String) async throws -> Credentials? {
        let rows = try await database.query("""
            SELECT id, brand_id, password_hash, disabled_at IS NOT NULL AS disabled FROM users WHERE email = \(email)
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (id, brandID, hash, disabled) = try row.decode((Int64, Int64, String?, Bool).self)
        return Credentials(userID: id, brandID: brandID, passwordHash: hash, disabled: disabled)
    }

    public struct Listed: Sendable {
        public var id: Int64
        public var email: String
        public var role: Role
        public var hasPassword: Bool
        public var disabled: Bool
        public var createdAt: String
        /// The narrowing; nil for every product.
        public var access: ProductAccessGrant?
    }

    /// The brand's users, owners first.
    func list(brandID: Int64) async throws -> [Listed] {
        let rows = try await database.query("""
            SELECT id, email, role, password_hash IS NOT NULL, disabled_at IS NOT NULL,
                   to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), \(unescaped: ProductAccessGrant.selectSQL(alias: "users"))
            FROM users WHERE brand_id = \(brandID)
            ORDER BY role = 'owner' DESC, role = 'editor' DESC, email
            """, logger: logger)
        var users: [Listed] = []
        for try await (id, email, role, password, disabled, created, types, gtins)
            in rows.decode((Int64, String, String, Bool, Bool, String, [String]?, [String]?).self) {
            users.append(Listed(id: id, email: email, role: Role(rawValue: role) ?? .viewer, hasPassword: password,
                                disabled: disabled, createdAt: created, access: ProductAccessGrant.read(typeCodes: types, gtins: gtins)))
        }
        return users
    }

    /// Changes a user's role or disables (re-enables) them. A brand always
    /// keeps one enabled owner; disabling ends the user's sessions.
    func update(brandID: Int64, actor: AuditActor, userID: Int64, role: Role?, disabled: Bool?) async throws {
        try await database.transaction(logger: logger) { connection in
            // Serialises changes to one brand's users, so two owners cannot demote each other at once.
            try await connection.query("SELECT id FROM brands WHERE id = \(brandID) FOR UPDATE", logger: logger)
            let rows = try await connection.query("""
                UPDATE users SET role = coalesce(\(role?.rawValue), role),
                                 -- Owners see everything.
                                 access_product_type_ids = CASE WHEN \(role?.rawValue) = 'owner' THEN NULL ELSE access_product_type_ids END,
                                 access_product_ids = CASE WHEN \(role?.rawValue) = 'owner' THEN NULL ELSE access_product_ids END,
                                 disabled_at = CASE WHEN \(disabled)::boolean IS NULL THEN disabled_at
                                                    WHEN \(disabled) THEN coalesce(disabled_at, now()) END
                WHERE brand_id = \(brandID) AND id = \(userID)
                RETURNING email
                """, logger: logger).collect()
            guard let email = try rows.first?.decode(String.self) else { throw AccountError.unknownUser("#\(userID)") }
            let owners = try await connection.query(
                "SELECT count(*)::int FROM users WHERE brand_id = \(brandID) AND role = 'owner' AND disabled_at IS NULL", logger: logger
            ).collect()
            guard try owners.first?.decode(Int.self) ?? 0 >= 1 else { throw AccountError.lastOwner }
            if disabled == true { try await connection.query("DELETE FROM sessions WHERE user_id = \(userID)", logger: logger) }
            var details: [String: String] = [:]
            if let role { details["role"] = role.rawValue }
            if let disabled { details["disabled"] = disabled ? "yes" : "no" }
            try await AuditLog.record("user.update", subject: "user:\(email)", details: details, brandID: brandID, actor: actor,
                                      on: connection, logger: logger)
        }
    }

    /// Narrows (or widens again) what an editor or viewer may see; their
    /// sessions pick it up at their next request.
    func setAccess(brandID: Int64, actor: AuditActor, userID: Int64, _ grant: ProductAccessGrant) async throws {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT email, role FROM users WHERE brand_id = \(brandID) AND id = \(userID) FOR UPDATE
                """, logger: logger).collect()
            guard let (email, role) = try rows.first?.decode((String, String).self) else { throw AccountError.unknownUser("#\(userID)") }
            guard role != Role.owner.rawValue || grant.isEverything else { throw AccountError.ownersSeeEverything }
            let (typeIDs, productIDs) = try await grant.resolve(brandID: brandID, on: connection, logger: logger)
            try await connection.query("""
                UPDATE users SET access_product_type_ids = \(typeIDs), access_product_ids = \(productIDs) WHERE id = \(userID)
                """, logger: logger)
            try await AuditLog.record(
                "user.set_access", subject: "user:\(email)",
                details: ["product_types": grant.productTypeCodes.joined(separator: ","), "products": grant.gtins.map(\.digits).joined(separator: ",")],
                brandID: brandID, actor: actor, on: connection, logger: logger)
        }
    }

    /// The e-mail of the brand's user with this id.
    /// The brand's enabled owners, with the portal language each chose (nil: none chosen),
    /// for what Signet tells owners by e-mail.
    func owners(brandID: Int64) async throws -> [(email: String, language: Language?)] {
        let rows = try await database.query("""
            SELECT email, language::text FROM users
            WHERE brand_id = \(brandID) AND role = 'owner' AND disabled_at IS NULL
            ORDER BY email
            """, logger: logger).collect()
        return try rows.map { row in
            let (email, language) = try row.decode((String, String?).self)
            return (email, language.flatMap(Language.init(rawValue:)))
        }
    }

    func email(brandID: Int64, userID: Int64) async throws -> String? {
        let rows = try await database.query("SELECT email FROM users WHERE brand_id = \(brandID) AND id = \(userID)", logger: logger).collect()
        return try rows.first?.decode(String.self)
    }

    /// The portal language the user chose; nil follows the browser again.
    func setLanguage(userID: Int64, _ language: Language?) async throws {
        try await database.query("UPDATE users SET language = \(language?.rawValue) WHERE id = \(userID)", logger: logger)
    }
}
