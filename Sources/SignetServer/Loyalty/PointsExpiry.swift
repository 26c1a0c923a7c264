import Logging
import PostgresNIO
import ServiceLifecycle

/// Expires the points of balances that have seen neither a claim nor a
/// redemption for their brand's `loyalty_expiry_days`: the balance goes to
/// zero and an `expire` row records what went. Every instance runs it; rows
/// are taken with `FOR UPDATE SKIP LOCKED` and their condition is checked
/// again once locked, so two runs at once expire each balance once, and a
/// claim that lands meanwhile keeps its balance.
struct PointsExpiry: Service {
    let database: PostgresClient
    let logger: Logger
    var interval: Duration = .seconds(600)
    static let batchSize = 500

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var expired = Self.batchSize
                while expired == Self.batchSize, !Task.isCancelled {
                    expired = await awaitAtMost(.seconds(60), otherwise: 0) { await expireDue() }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Expires up to `batchSize` due balances; returns how many.
    @discardableResult
    func expireDue() async -> Int {
        do {
            let rows = try await database.query("""
                WITH due AS (
                    SELECT l.wallet_id, l.brand_id, l.points
                    FROM loyalty_balances l JOIN brands b ON b.id = l.brand_id
                    WHERE l.points > 0 AND b.loyalty_expiry_days IS NOT NULL
                      AND l.last_activity_at < now() - make_interval(days => b.loyalty_expiry_days)
                    LIMIT \(Self.batchSize)
                    FOR UPDATE OF l SKIP LOCKED
                ),
                emptied AS (
                    UPDATE loyalty_balances l SET points = 0
                    FROM due WHERE l.wallet_id = due.wallet_id AND l.brand_id = due.brand_id
                    RETURNING l.wallet_id, l.brand_id, due.points
                )
                INSERT INTO loyalty_ledger (wallet_id, brand_id, kind, points, balance_after)
                SELECT wallet_id, brand_id, 'expire', -points, 0 FROM emptied
                RETURNING id
                """, logger: logger).collect()
            if !rows.isEmpty { logger.info("expired loyalty points", metadata: ["balances": "\(rows.count)"]) }
            return rows.count
        } catch {
            logger.warning("could not expire loyalty points", metadata: ["error": "\(String(reflecting: error))"])
            return 0
        }
    }
}
