import Crypto
import Foundation
import HummingbirdOTP
import Logging
import PostgresNIO
import SignetCore

/// TOTP enrolment and checks, and one-time recovery codes.
struct TwoFactorStore: Sendable {
    let database: PostgresClient
    let logger: Logger
    /// nil when the operator set no `SIGNET_SECRET_KEY`: enrolment is then refused.
    let box: SecretBox?

    static let recoveryCodeCount = 10
    static let step: Double = 30

    /// The secret an authenticator app learns from the QR code: 32 base32
    /// characters (160 bits), whose bytes are the HMAC key.
    static func newSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var random = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int.random(in: 0..<32, using: &random)] })
    }

    static func authenticatorURL(secret: String, email: String, brand: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: "Signet:\(email)", issuer: "Signet \(brand)")
    }

    /// Starts an enrolment: a new secret kept, sealed, with the session until confirmed.
    func begin(sessionID: String) async throws -> String? {
        guard let box else { return nil }
        let secret = Self.newSecret()
        try await database.query("""
            UPDATE sessions SET pending_totp_secret = \(ByteBuffer(bytes: try box.seal(secret)))
            WHERE id_hash = \(ByteBuffer(bytes: SecretToken.digest(sessionID)))
            """, logger: logger)
        return secret
    }

    func pendingSecret(sessionID: String) async throws -> String? {
        guard let box else { return nil }
        let rows = try await database.query(
            "SELECT pending_totp_secret FROM sessions WHERE id_hash = \(ByteBuffer(bytes: SecretToken.digest(sessionID)))",
            logger: logger
        ).collect()
        guard let sealed = try rows.first?.decode(ByteBuffer?.self) else { return nil }
        return box.open(Array(sealed.readableBytesView))
    }

    /// Turns two-factor on if `code` is right for the pending secret; returns the recovery codes to show once.
    func confirm(sessionID: String, userID: Int64, code: String, actor: AuditActor, brandID: Int64) async throws -> [String]? {
        guard let box, let secret = try await pendingSecret(sessionID: sessionID),
              let step = Self.matchingStep(secret: secret, code: code, after: nil)
        else { return nil }
        let codes = (0..<Self.recoveryCodeCount).map { _ in Self.newRecoveryCode() }
        try await database.transaction(logger: logger) { connection in
            try await connection.query("""
                UPDATE users SET totp_secret = \(ByteBuffer(bytes: try box.seal(secret))), totp_enabled_at = now(), totp_last_step = \(step)
                WHERE id = \(userID)
                """, logger: logger)
            try await connection.query("DELETE FROM recovery_codes WHERE user_id = \(userID)", logger: logger)
            for code in codes {
                try await connection.query(
                    "INSERT INTO recovery_codes (user_id, code_hash) VALUES (\(userID), \(ByteBuffer(bytes: Self.digest(code))))",
                    logger: logger)
            }
            try await connection.query(
                "UPDATE sessions SET pending_totp_secret = NULL WHERE id_hash = \(ByteBuffer(bytes: SecretToken.digest(sessionID)))",
                logger: logger)
            try await AuditLog.record("user.enable_two_factor", subject: "user:\(actor.name)", brandID: brandID, actor: actor,
                                      on: connection, logger: logger)
        }
        return codes
    }

    /// Turns two-factor off for the user: secret and recovery codes are deleted.
    func disable(userID: Int64, actor: AuditActor, brandID: Int64) async throws {
        try await database.transaction(logger: logger) { connection in
            try await connection.query("""
                UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = \(userID)
                """, logger: logger)
            try await connection.query("DELETE FROM recovery_codes WHERE user_id = \(userID)", logger: logger)
            try await AuditLog.record("user.disable_two_factor", subject: "user:\(actor.name)", brandID: brandID, actor: actor,
                                      on: connection, logger: logger)
        }
    }

    func isEnabled(userID: Int64) async throws -> Bool {
        let rows = try await database.query("SELECT totp_enabled_at IS NOT NULL FROM users WHERE id = \(userID)", logger: logger).collect()
        return try rows.first?.decode(Bool.self) ?? false
    }

    /// Checks a TOTP code (each works once) or an unused recovery code (used up now).
    func verify(userID: Int64, code: String) async throws -> Bool {
        let trimmed = code.filter { !$0.isWhitespace }
        if trimmed.count == 6, trimmed.allSatisfy(\.isNumber) {
            guard let box else { return false }
            let rows = try await database.query(
                "SELECT totp_secret, totp_last_step FROM users WHERE id = \(userID) AND totp_enabled_at IS NOT NULL", logger: logger
            ).collect()
            guard let (sealed, lastStep) = try rows.first?.decode((ByteBuffer, Int64?).self),
                  let secret = box.open(Array(sealed.readableBytesView)),
                  let step = Self.matchingStep(secret: secret, code: trimmed, after: lastStep)
            else { return false }
            // Only one request may use a step: the update fails for a code already used.
            let accepted = try await database.query("""
                UPDATE users SET totp_last_step = \(step)
                WHERE id = \(userID) AND (totp_last_step IS NULL OR totp_last_step < \(step))
                RETURNING 1
                """, logger: logger).collect()
            return !accepted.isEmpty
        }
        let used = try await database.query("""
            UPDATE recovery_codes SET used_at = now()
            WHERE user_id = \(userID) AND code_hash = \(ByteBuffer(bytes: Self.digest(trimmed.uppercased()))) AND used_at IS NULL
            RETURNING 1
            """, logger: logger).collect()
        return !used.isEmpty
    }

    /// The 30-second step `code` belongs to, within one step of now and after `after`.
    static func matchingStep(secret: String, code: String, after lastStep: Int64?, now: Date = Date()) -> Int64? {
        guard let value = Int(code.filter { !$0.isWhitespace }) else { return nil }
        let totp = TOTP(secret: secret)
        for offset in [0.0, -step, step] {
            let date = now.addingTimeInterval(offset)
            let step = Int64(date.timeIntervalSince1970 / Self.step)
            if let lastStep, step <= lastStep { continue }
            if totp.compute(date: date) == value { return step }
        }
        return nil
    }

    /// `XXXXX-XXXXX` from the unambiguous serial alphabet: 50 bits each.
    static func newRecoveryCode() -> String {
        var random = SystemRandomNumberGenerator()
        let code = SerialGenerator(length: 10)!.next(using: &random)
        return String(code.prefix(5)) + "-" + String(code.suffix(5))
    }

    static func digest(_ code: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(code.uppercased().utf8)))
    }
}
