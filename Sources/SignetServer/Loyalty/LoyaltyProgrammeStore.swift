import Foundation
import Logging
import PostgresNIO
import SignetCore

/// The brand's side of its programme: its terms, its totals, and the list of
/// redemptions with filters.
struct LoyaltyProgrammeStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    func terms(brandID: Int64) async throws -> LoyaltyTerms? {
        let rows = try await database.query("""
            SELECT loyalty_enabled, loyalty_points, loyalty_daily_claims, loyalty_claim_gap_seconds, loyalty_expiry_days
            FROM brands WHERE id = \(brandID)
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (enabled, points, daily, gap, expiry) = try row.decode((Bool, Int, Int, Int, Int?).self)
        return LoyaltyTerms(enabled: enabled, defaultPoints: points, dailyClaims: daily, claimGapSeconds: gap, expiryDays: expiry)
    }

    /// Saves the terms and audits the change; scans see them within a second (the catalogue's notification).
    func update(brandID: Int64, actor: AuditActor, _ terms: LoyaltyTerms) async throws {
        try await database.transaction(logger: logger) { connection in
            try await connection.query("""
                UPDATE brands SET loyalty_enabled = \(terms.enabled), loyalty_points = \(terms.defaultPoints),
                                  loyalty_daily_claims = \(terms.dailyClaims), loyalty_claim_gap_seconds = \(terms.claimGapSeconds),
                                  loyalty_expiry_days = \(terms.expiryDays)
                WHERE id = \(brandID)
                """, logger: logger)
            try await AuditLog.record(
                "loyalty.update", subject: "brand:\(brandID)",
                details: ["enabled": String(terms.enabled), "points": String(terms.defaultPoints), "daily_claims": String(terms.dailyClaims),
                          "claim_gap_seconds": String(terms.claimGapSeconds), "expiry_days": terms.expiryDays.map(String.init) ?? ""],
                brandID: brandID, actor: actor, on: connection, logger: logger)
        }
    }

    struct Totals: Sendable {
        var issued: Int
        var redeemed: Int
        var refunded: Int
        var expired: Int
        var adjusted: Int
        /// What wallets hold now: issued − redeemed + refunded − expired ± adjusted.
        var outstanding: Int
        var wallets: Int
        var topRewards: [(rewardID: Int64, redemptions: Int)]

    }

    /// From the ledger, which erasing a wallet keeps: the totals stay right.
    func totals(brandID: Int64) async throws -> Totals {
        let rows = try await database.query("""
            SELECT coalesce(sum(points) FILTER (WHERE kind = 'earn'), 0)::integer,
                   coalesce(-sum(points) FILTER (WHERE kind = 'redeem'), 0)::integer,
                   coalesce(sum(points) FILTER (WHERE kind = 'refund'), 0)::integer,
                   coalesce(-sum(points) FILTER (WHERE kind = 'expire'), 0)::integer,
                   coalesce(sum(points) FILTER (WHERE kind IN ('adjust', 'merge')), 0)::integer,
                   coalesce(sum(points), 0)::integer,
                   (SELECT count(*)::integer FROM loyalty_balances WHERE brand_id = \(brandID) AND points > 0)
            FROM loyalty_ledger WHERE brand_id = \(brandID)
            """, logger: logger).collect()
        let (issued, redeemed, refunded, expired, adjusted, outstanding, wallets)
            = try rows[0].decode((Int, Int, Int, Int, Int, Int, Int).self)
        var top: [(Int64, Int)] = []
        let topRows = try await database.query("""
            SELECT reward_id, count(*)::integer FROM redemptions
            WHERE brand_id = \(brandID) AND status <> 'cancelled'
            GROUP BY reward_id ORDER BY count(*) DESC, reward_id LIMIT 5
            """, logger: logger)
        for try await (reward, count) in topRows.decode((Int64, Int).self) { top.append((reward, count)) }
        return Totals(
            issued: issued, redeemed: redeemed, refunded: refunded, expired: expired, adjusted: adjusted, outstanding: outstanding,
            wallets: wallets, topRewards: top)
    }

    struct Filter: Sendable {
        var status: RedemptionStore.Status?
        var rewardID: Int64?
    }

    /// The brand's redemptions, newest first.
    func redemptions(brandID: Int64, filter: Filter, limit: Int = 200) async throws -> [RedemptionStore.Redemption] {
        let rows = try await database.query("""
            SELECT id, brand_id, reward_id, wallet_id, points, voucher_code, status, created_at, used_at, used_by
            FROM redemptions
            WHERE brand_id = \(brandID)
              AND (\(filter.status?.rawValue)::text IS NULL OR status = \(filter.status?.rawValue))
              AND (\(filter.rewardID)::bigint IS NULL OR reward_id = \(filter.rewardID))
            ORDER BY id DESC LIMIT \(limit)
            """, logger: logger).collect()
        return try rows.map(RedemptionStore.decode)
    }
}
