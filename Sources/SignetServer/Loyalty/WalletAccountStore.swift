import Foundation
import Logging
import PostgresNIO
import SignetCore

/// A wallet's e-mail and password, and moving a device wallet's points into
/// an account when its holder signs in on that device.
struct WalletAccountStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    enum AttachOutcome: Sendable, Equatable {
        case attached
        /// Another wallet has this e-mail: sign in instead (the points are merged then).
        case emailTaken
        /// This wallet already has an e-mail.
        case alreadyAccount
    }

    func attach(walletID: Int64, email: EmailAddress, passwordHash: String) async throws -> AttachOutcome {
        do {
            let rows = try await database.query("""
                UPDATE wallets SET email = \(email.value), password_hash = \(passwordHash)
                WHERE id = \(walletID) AND email IS NULL AND erased_at IS NULL
                RETURNING id
                """, logger: logger).collect()
            return rows.isEmpty ? .alreadyAccount : .attached
        } catch let error as PSQLError where error.violatedUniqueConstraint == "wallets_email_key" {
            return .emailTaken
        }
    }

    /// The account's id and password hash; nil when no live wallet has this e-mail.
    func account(email: EmailAddress) async throws -> (id: Int64, passwordHash: String?)? {
        let rows = try await database.query("""
            SELECT id, password_hash FROM wallets WHERE email = \(email.value) AND erased_at IS NULL AND merged_into IS NULL
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        return try row.decode((Int64, String?).self)
    }

    /// Signs this device in to `accountID`: a new device token for the
    /// account, and the device's own wallet, if it has no e-mail, merged into
    /// the account once (its balances move with a `merge` row on each side,
    /// its vouchers follow, and it is marked merged). Returns the new token.
    func signIn(accountID: Int64, deviceWalletID: Int64?, oldToken: String?) async throws -> String {
        try await database.transaction(logger: logger) { connection in
            try await signIn(accountID: accountID, deviceWalletID: deviceWalletID, oldToken: oldToken, on: connection)
        }
    }

    /// How long an e-mailed sign-in link works.
    static let signInLinkLifetime: Duration = .seconds(15 * 60)

    /// A one-time sign-in link's token for the account with this e-mail; nil
    /// when no live account has it (the caller says the same either way).
    func issueSignInLink(email: EmailAddress) async throws -> String? {
        let token = SecretToken.generate()
        let rows = try await database.query("""
            INSERT INTO wallet_sign_in_links (token_hash, wallet_id, expires_at)
            SELECT \(ByteBuffer(bytes: SecretToken.digest(token))), id, now() + \(Self.signInLinkLifetime.components.seconds) * interval '1 second'
            FROM wallets WHERE email = \(email.value) AND erased_at IS NULL AND merged_into IS NULL
            RETURNING wallet_id
            """, logger: logger).collect()
        return rows.isEmpty ? nil : token
    }

    /// Signs this device in with an e-mailed link, as `signIn` does with a
    /// password, in the transaction that uses the link up; nil when the link
    /// is unknown, used, expired, or its wallet is gone.
    func signIn(link: String, deviceWalletID: Int64?, oldToken: String?) async throws -> String? {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE wallet_sign_in_links l SET used_at = now()
                FROM wallets w
                WHERE l.token_hash = \(ByteBuffer(bytes: SecretToken.digest(link))) AND l.used_at IS NULL AND l.expires_at > now()
                  AND w.id = l.wallet_id AND w.erased_at IS NULL AND w.merged_into IS NULL
                RETURNING l.wallet_id
                """, logger: logger).collect()
            guard let accountID = try rows.first?.decode(Int64.self) else { return nil }
            return try await signIn(accountID: accountID, deviceWalletID: deviceWalletID, oldToken: oldToken, on: connection)
        }
    }

    private func signIn(accountID: Int64, deviceWalletID: Int64?, oldToken: String?, on connection: PostgresConnection) async throws -> String {
        let token = SecretToken.generate()
        if let device = deviceWalletID, device != accountID {
            let merged = try await connection.query("""
                UPDATE wallets SET merged_into = \(accountID)
                WHERE id = \(device) AND email IS NULL AND merged_into IS NULL AND erased_at IS NULL
                RETURNING id
                """, logger: logger).collect()
            if !merged.isEmpty { try await merge(device, into: accountID, on: connection) }
        }
        if let oldToken {
            try await connection.query(
                "DELETE FROM wallet_devices WHERE token_hash = \(ByteBuffer(bytes: SecretToken.digest(oldToken)))", logger: logger)
        }
        try await connection.query("""
            INSERT INTO wallet_devices (token_hash, wallet_id) VALUES (\(ByteBuffer(bytes: SecretToken.digest(token))), \(accountID))
            """, logger: logger)
        return token
    }

    func signOut(token: String) async throws {
        try await database.query(
            "DELETE FROM wallet_devices WHERE token_hash = \(ByteBuffer(bytes: SecretToken.digest(token)))", logger: logger)
    }

    private func merge(_ device: Int64, into account: Int64, on connection: PostgresConnection) async throws {
        // Lock both wallets' balances in one order (wallet id, brand id), as every writer of two balances must.
        try await connection.query("""
            SELECT 1 FROM loyalty_balances WHERE wallet_id IN (\(device), \(account)) ORDER BY wallet_id, brand_id FOR UPDATE
            """, logger: logger)
        let moving = try await connection.query("""
            SELECT brand_id, points, last_activity_at FROM loyalty_balances WHERE wallet_id = \(device) AND points > 0 ORDER BY brand_id
            """, logger: logger).collect()
        for row in moving {
            let (brandID, points, lastActivity) = try row.decode((Int64, Int, Date).self)
            try await connection.query("UPDATE loyalty_balances SET points = 0 WHERE wallet_id = \(device) AND brand_id = \(brandID)", logger: logger)
            try await connection.query("""
                INSERT INTO loyalty_ledger (wallet_id, brand_id, kind, points, balance_after, reason, actor)
                VALUES (\(device), \(brandID), 'merge', \(-points), 0, 'moved to the account signed in on this device', 'wallet')
                """, logger: logger)
            let added = try await connection.query("""
                INSERT INTO loyalty_balances (wallet_id, brand_id, points, last_activity_at)
                VALUES (\(account), \(brandID), \(points), \(lastActivity))
                ON CONFLICT (wallet_id, brand_id) DO UPDATE
                    SET points = loyalty_balances.points + EXCLUDED.points,
                        last_activity_at = greatest(loyalty_balances.last_activity_at, EXCLUDED.last_activity_at)
                RETURNING points
                """, logger: logger).collect()
            let balance = try added[0].decode(Int.self)
            try await connection.query("""
                INSERT INTO loyalty_ledger (wallet_id, brand_id, kind, points, balance_after, reason, actor)
                VALUES (\(account), \(brandID), 'merge', \(points), \(balance), 'moved from a device wallet', 'wallet')
                """, logger: logger)
        }
        try await connection.query("UPDATE redemptions SET wallet_id = \(account) WHERE wallet_id = \(device)", logger: logger)
        try await connection.query("DELETE FROM wallet_devices WHERE wallet_id = \(device)", logger: logger)
    }
}
