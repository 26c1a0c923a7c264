import Foundation
import Logging
import PostgresNIO
import SignetCore

/// What a consumer may ask of their wallet under data-protection law: a copy
/// of everything held about it, and its erasure. Erasure keeps the ledger's
/// rows (without anything that names the person) so brands' totals stay right.
struct WalletPrivacyStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    /// Everything held about the wallet, as JSON text built by PostgreSQL.
    func export(walletID: Int64) async throws -> String {
        let rows = try await database.query("""
            SELECT jsonb_pretty(jsonb_build_object(
                'wallet', (SELECT jsonb_build_object('id', w.id, 'email', w.email, 'has_password', w.password_hash IS NOT NULL,
                                                     'language', w.language, 'created_at', w.created_at)
                           FROM wallets w WHERE w.id = \(walletID)),
                'devices', (SELECT coalesce(jsonb_agg(jsonb_build_object('created_at', d.created_at, 'last_seen_at', d.last_seen_at)
                                                      ORDER BY d.created_at), '[]')
                            FROM wallet_devices d WHERE d.wallet_id = \(walletID)),
                'balances', (SELECT coalesce(jsonb_agg(jsonb_build_object('brand', b.name, 'points', l.points,
                                                                          'last_activity_at', l.last_activity_at) ORDER BY b.name), '[]')
                             FROM loyalty_balances l JOIN brands b ON b.id = l.brand_id WHERE l.wallet_id = \(walletID)),
                'ledger', (SELECT coalesce(jsonb_agg(jsonb_build_object('at', g.created_at, 'brand', b.name, 'kind', g.kind,
                                                                        'points', g.points, 'balance_after', g.balance_after,
                                                                        'gtin', p.gtin, 'serial', s.serial, 'redemption_id', g.redemption_id)
                                                     ORDER BY g.id), '[]')
                           FROM loyalty_ledger g JOIN brands b ON b.id = g.brand_id
                           LEFT JOIN products p ON p.id = g.product_id LEFT JOIN seals s ON s.id = g.seal_id
                           WHERE g.wallet_id = \(walletID)),
                'redemptions', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'brand', b.name, 'reward_id', r.reward_id,
                                                                             'points', r.points, 'voucher', r.voucher_code, 'status', r.status,
                                                                             'created_at', r.created_at, 'used_at', r.used_at,
                                                                             'cancelled_at', r.cancelled_at) ORDER BY r.id), '[]')
                                FROM redemptions r JOIN brands b ON b.id = r.brand_id WHERE r.wallet_id = \(walletID))
            ))
            """, logger: logger).collect()
        return try rows.first?.decode(String.self) ?? "{}"
    }

    /// Erases the wallet: its e-mail and password hash, every device's token,
    /// and its points (an `adjust` row per brand records what went). The
    /// ledger and redemptions stay, tied to a wallet that no longer names anyone.
    func erase(walletID: Int64) async throws {
        try await database.transaction(logger: logger) { connection in
            let balances = try await connection.query("""
                SELECT brand_id, points FROM loyalty_balances WHERE wallet_id = \(walletID) AND points > 0 ORDER BY brand_id FOR UPDATE
                """, logger: logger).collect()
            for row in balances {
                let (brandID, points) = try row.decode((Int64, Int).self)
                try await connection.query("""
                    UPDATE loyalty_balances SET points = 0 WHERE wallet_id = \(walletID) AND brand_id = \(brandID)
                    """, logger: logger)
                try await connection.query("""
                    INSERT INTO loyalty_ledger (wallet_id, brand_id, kind, points, balance_after, reason, actor)
                    VALUES (\(walletID), \(brandID), 'adjust', \(-points), 0, 'account deleted by its holder', 'wallet')
                    """, logger: logger)
            }
            try await connection.query("DELETE FROM wallet_devices WHERE wallet_id = \(walletID)", logger: logger)
            try await connection.query("DELETE FROM wallet_sign_in_links WHERE wallet_id = \(walletID)", logger: logger)
            try await connection.query("""
                UPDATE wallets SET email = NULL, password_hash = NULL, erased_at = now() WHERE id = \(walletID)
                """, logger: logger)
        }
    }
}
