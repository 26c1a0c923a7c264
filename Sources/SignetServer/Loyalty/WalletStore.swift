import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Consumers' wallets and the devices signed in to them. A device holds a
/// random token in a cookie; the database keeps only its SHA-256.
struct WalletStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct Wallet: Sendable, Equatable {
        var id: Int64
        var email: String?
        var language: Language
    }

    /// The wallet a device's token opens; nil for an unknown token or an erased wallet.
    func resume(token: String) async throws -> Wallet? {
        let rows = try await database.query("""
            WITH seen AS (
                UPDATE wallet_devices SET last_seen_at = now()
                WHERE token_hash = \(ByteBuffer(bytes: SecretToken.digest(token))) AND last_seen_at < now() - interval '1 hour'
            )
            SELECT w.id, w.email, w.language::text
            FROM wallet_devices d JOIN wallets w ON w.id = d.wallet_id
            WHERE d.token_hash = \(ByteBuffer(bytes: SecretToken.digest(token))) AND w.erased_at IS NULL AND w.merged_into IS NULL
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (id, email, language) = try row.decode((Int64, String?, String).self)
        return Wallet(id: id, email: email, language: Language(rawValue: language) ?? .en)
    }

    /// A new device wallet and the token its cookie carries.
    func createDeviceWallet(language: Language) async throws -> (Wallet, token: String) {
        let token = SecretToken.generate()
        let id = try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "INSERT INTO wallets (language) VALUES (\(language.rawValue)::signet_language) RETURNING id", logger: logger
            ).collect()
            let id = try rows[0].decode(Int64.self)
            try await connection.query(
                "INSERT INTO wallet_devices (token_hash, wallet_id) VALUES (\(ByteBuffer(bytes: SecretToken.digest(token))), \(id))", logger: logger)
            return id
        }
        return (Wallet(id: id, email: nil, language: language), token)
    }
}
