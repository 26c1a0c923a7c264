import Logging
import PostgresNIO
import SignetCore

/// Portal sessions in PostgreSQL, so any instance serves any signed-in user
/// and "sign out everywhere" is one DELETE.
public struct SessionStore: Sendable {
    let database: PostgresClient
    let logger: Logger
    /// A session unused this long ends.
    public let idleLimit: Duration
    /// A session ends this long after sign-in, however busy.
    public let absoluteLimit: Duration

    public init(database: PostgresClient, logger: Logger, idleLimit: Duration = .seconds(2 * 3600), absoluteLimit: Duration = .seconds(12 * 3600)) {
        self.database = database
        self.logger = logger
        self.idleLimit = idleLimit
        self.absoluteLimit = absoluteLimit
    }

    /// A live session: who it belongs to and the CSRF token its forms carry.
    public struct Session: Sendable {
        public var id: String
        public var csrfToken: String
        public var manager: BrandManager
        /// Between the password and the second factor: it can only finish signing in.
        public var awaitingSecondFactor: Bool
    }

    /// Starts a session with a new random id: signing in never reuses an id
    /// that existed before (no session fixation).
    public func create(userID: Int64, brandID: Int64, awaitingSecondFactor: Bool = false) async throws -> (id: String, csrfToken: String) {
        let id = SecretToken.generate()
        let csrf = SecretToken.generate()
        let seconds = Int(absoluteLimit.components.seconds)
        try await database.query("""
            INSERT INTO sessions (id_hash, brand_id, user_id, csrf_token, expires_at, state)
            VALUES (\(ByteBuffer(bytes: SecretToken.digest(id))), \(brandID), \(userID), \(csrf),
                    -- A half-signed-in session gets 10 minutes to finish.
                    now() + make_interval(secs => \(awaitingSecondFactor ? 600 : seconds)),
                    \(awaitingSecondFactor ? "awaiting_second_factor" : "authenticated"))
            """, logger: logger)
        return (id, csrf)
    }

    /// The live session with this id, marked as used now; nil when unknown,
    /// idle too long, past its absolute end, or its user is disabled.
    /// The navigation counts open alerts up to this many.
    static let openAlertsShownLimit = 1000

    public func resume(id: String) async throws -> Session? {
        let idle = Int(idleLimit.components.seconds)
        let rows = try await database.query("""
            UPDATE sessions s SET last_seen_at = now()
            FROM users u, brands b
            WHERE s.id_hash = \(ByteBuffer(bytes: SecretToken.digest(id)))
              AND u.id = s.user_id AND b.id = s.brand_id
              AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => \(idle))
              AND u.disabled_at IS NULL
            RETURNING s.csrf_token, u.id, u.brand_id, b.slug, b.name, u.email, u.role, u.language, s.state,
                      u.totp_enabled_at IS NOT NULL, b.owners_need_two_factor,
                      signet_accessible_products(u.brand_id, u.access_product_type_ids, u.access_product_ids),
                      coalesce(u.access_product_type_ids, '{}'),
                      -- Counting stops at the limit: the menu shows "999+", and a large inbox costs no more.
                      (SELECT count(*) FROM (
                          SELECT 1 FROM alerts a
                          WHERE a.brand_id = u.brand_id AND a.status = 'open' AND NOT a.informational
                            AND (u.access_product_type_ids IS NULL AND u.access_product_ids IS NULL
                                 OR a.product_id = ANY (signet_accessible_products(u.brand_id, u.access_product_type_ids,
                                                                                   u.access_product_ids)))
                          LIMIT \(Self.openAlertsShownLimit)) open),
                      (SELECT count(*) FROM webhook_endpoints w WHERE w.brand_id = u.brand_id AND w.disabled_reason = 'failing')
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (csrf, userID, brandID, slug, brandName, email, roleText, language, state, hasTwoFactor, ownersNeedTwoFactor,
             productIDs, typeIDs, openAlerts, failingWebhooks) =
            try row.decode((String, Int64, Int64, String, String, String, String, String?, String, Bool, Bool, [Int64]?, [Int64], Int, Int).self)
        guard let role = Role(rawValue: roleText) else { return nil }
        return Session(id: id, csrfToken: csrf, manager: BrandManager(
            userID: userID, brandID: brandID, brandSlug: slug, brandName: brandName, email: email, role: role,
            language: language.flatMap(Language.init(rawValue:)), hasTwoFactor: hasTwoFactor,
            brandRequiresOwnerTwoFactor: ownersNeedTwoFactor,
            access: ProductAccess(productIDs: productIDs, productTypeIDs: typeIDs), openAlerts: openAlerts, failingWebhooks: failingWebhooks), awaitingSecondFactor: state != "authenticated")
    }

    public func end(id: String) async throws {
        try await database.query(
            "DELETE FROM sessions WHERE id_hash = \(ByteBuffer(bytes: SecretToken.digest(id)))", logger: logger)
    }

    /// Ends every session of the user, on every device.
    public func endAll(userID: Int64) async throws {
        try await database.query("DELETE FROM sessions WHERE user_id = \(userID)", logger: logger)
    }
}
