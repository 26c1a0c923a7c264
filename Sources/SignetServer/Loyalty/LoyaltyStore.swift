import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Points: claims of genuine first scans, balances per wallet and brand, and
/// the ledger they come from. Every change of a balance happens under the
/// lock of its row, together with the ledger row that records it.
struct LoyaltyStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    enum ClaimOutcome: Sendable, Equatable {
        case awarded(points: Int, balance: Int, brandID: Int64)
        /// The same wallet claimed this seal before: nothing more.
        case alreadyAwarded(balance: Int, brandID: Int64)
        case refused(ClaimRules.Refusal)
    }

    /// Claims the points of the scan `token` names for `walletID`, in one transaction.
    func claim(_ token: ClaimToken, walletID: Int64) async throws -> ClaimOutcome {
        do {
            return try await database.transaction(logger: logger) { connection in
                let sealRows = try await connection.query("""
                    SELECT s.id, s.brand_id, p.loyalty_points, b.loyalty_enabled, b.loyalty_points, b.loyalty_daily_claims,
                           b.loyalty_claim_gap_seconds, b.loyalty_expiry_days,
                           (SELECT l.wallet_id FROM loyalty_ledger l WHERE l.seal_id = s.id AND l.kind = 'earn')
                    FROM seals s JOIN products p ON p.id = s.product_id JOIN brands b ON b.id = s.brand_id
                    WHERE s.product_id = \(token.productID) AND s.serial = \(token.serial)
                    """, logger: logger).collect()
                guard let sealRow = sealRows.first else { return .refused(.notGenuineFirst) }
                let (sealID, brandID, productPoints, enabled, defaultPoints, daily, gap, expiry, earner)
                    = try sealRow.decode((Int64, Int64, Int?, Bool, Int, Int, Int, Int?, Int64?).self)
                let terms = LoyaltyTerms(
                    enabled: enabled, defaultPoints: defaultPoints, dailyClaims: daily, claimGapSeconds: gap, expiryDays: expiry)
                let earnedBy: ClaimRules.SealEarner = earner == nil ? .nobody : earner == walletID ? .thisWallet : .anotherWallet
                // Refused before anything is written: a wallet that earned nothing gets no balance row.
                if earnedBy == .anotherWallet { return .refused(.sealAlreadyClaimed) }

                try await connection.query("""
                    INSERT INTO loyalty_balances (wallet_id, brand_id) VALUES (\(walletID), \(brandID)) ON CONFLICT DO NOTHING
                    """, logger: logger)
                let balanceRows = try await connection.query("""
                    SELECT points,
                           CASE WHEN claims_day = (now() AT TIME ZONE 'UTC')::date THEN claims_that_day ELSE 0 END,
                           -- clock_timestamp(), not now(): this transaction may have begun before the claim it waited for.
                           extract(epoch FROM clock_timestamp() - last_claim_at)::float8
                    FROM loyalty_balances WHERE wallet_id = \(walletID) AND brand_id = \(brandID)
                    FOR UPDATE
                    """, logger: logger).collect()
                let (balance, claimsToday, sinceLast) = try balanceRows[0].decode((Int, Int, Double?).self)

                let decision = ClaimRules.decide(.init(
                    terms: terms, verdict: .genuineFirst, productPoints: productPoints,
                    sealEarnedBy: earnedBy,
                    claimsToday: claimsToday, secondsSinceLastClaim: sinceLast))
                switch decision {
                case .refused(let refusal): return .refused(refusal)
                case .alreadyAwarded: return .alreadyAwarded(balance: balance, brandID: brandID)
                case .award(let points):
                    let updated = try await connection.query("""
                        UPDATE loyalty_balances
                        SET points = points + \(points),
                            claims_that_day = CASE WHEN claims_day = (now() AT TIME ZONE 'UTC')::date THEN claims_that_day + 1 ELSE 1 END,
                            claims_day = (now() AT TIME ZONE 'UTC')::date,
                            last_claim_at = clock_timestamp(), last_activity_at = clock_timestamp()
                        WHERE wallet_id = \(walletID) AND brand_id = \(brandID)
                        RETURNING points
                        """, logger: logger).collect()
                    let newBalance = try updated[0].decode(Int.self)
                    try await connection.query("""
                        INSERT INTO loyalty_ledger (wallet_id, brand_id, kind, points, balance_after, consultation_id, seal_id, product_id)
                        VALUES (\(walletID), \(brandID), 'earn', \(points), \(newBalance), \(token.consultationID), \(sealID), \(token.productID))
                        """, logger: logger)
                    return .awarded(points: points, balance: newBalance, brandID: brandID)
                }
            }
        } catch let error as PSQLError where error.violatedUniqueConstraint == "loyalty_ledger_seal_earned" {
            // A claim of the same seal committed first: another wallet's, or this wallet's own retry.
            let rows = try await database.query("""
                SELECT l.wallet_id, l.brand_id, b.points
                FROM loyalty_ledger l JOIN seals s ON s.id = l.seal_id
                LEFT JOIN loyalty_balances b ON b.wallet_id = l.wallet_id AND b.brand_id = l.brand_id
                WHERE s.product_id = \(token.productID) AND s.serial = \(token.serial) AND l.kind = 'earn'
                """, logger: logger).collect()
            if let row = rows.first, let (earner, brandID, balance) = try? row.decode((Int64, Int64, Int?).self), earner == walletID {
                return .alreadyAwarded(balance: balance ?? 0, brandID: brandID)
            }
            return .refused(.sealAlreadyClaimed)
        }
    }

    struct Balance: Sendable, Equatable {
        var brandID: Int64
        var brandName: String
        var points: Int
        /// When the points expire without a claim or redemption first (`YYYY-MM-DD`); nil: never.
        var expiresOn: String?
    }

    func balances(walletID: Int64) async throws -> [Balance] {
        let rows = try await database.query("""
            SELECT b.id, b.name, l.points,
                   CASE WHEN b.loyalty_expiry_days IS NOT NULL AND l.points > 0
                        THEN to_char((l.last_activity_at + make_interval(days => b.loyalty_expiry_days)) AT TIME ZONE 'UTC', 'YYYY-MM-DD') END
            FROM loyalty_balances l JOIN brands b ON b.id = l.brand_id
            WHERE l.wallet_id = \(walletID)
            ORDER BY l.points DESC, b.name
            """, logger: logger)
        var balances: [Balance] = []
        for try await (brand, name, points, expires) in rows.decode((Int64, String, Int, String?).self) {
            balances.append(Balance(brandID: brand, brandName: name, points: points, expiresOn: expires))
        }
        return balances
    }

    struct Entry: Sendable, Equatable {
        var kind: String
        var points: Int
        var brandName: String
        var productID: Int64?
        var rewardID: Int64?
        /// `YYYY-MM-DD`, UTC.
        var on: String
    }

    /// The wallet's latest ledger rows, newest first.
    func history(walletID: Int64, limit: Int = 50) async throws -> [Entry] {
        let rows = try await database.query("""
            SELECT l.kind, l.points, b.name, l.product_id, r.reward_id, to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')
            FROM loyalty_ledger l JOIN brands b ON b.id = l.brand_id
            LEFT JOIN redemptions r ON r.id = l.redemption_id
            WHERE l.wallet_id = \(walletID)
            ORDER BY l.id DESC LIMIT \(limit)
            """, logger: logger)
        var entries: [Entry] = []
        for try await (kind, points, brand, product, reward, on) in rows.decode((String, Int, String, Int64?, Int64?, String).self) {
            entries.append(Entry(kind: kind, points: points, brandName: brand, productID: product, rewardID: reward, on: on))
        }
        return entries
    }

    /// Makes `adjustment` at `brandID` under the balance's row lock, with its
    /// ledger row (reason and who) and audit event; returns the new balance.
    /// Only a wallet that already has a balance at the brand can be adjusted:
    /// a brand reaches its own consumers' wallets, no others.
    func adjust(_ adjustment: PointsAdjustment, brandID: Int64, actor: AuditActor) async throws -> Int {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT l.points FROM loyalty_balances l JOIN wallets w ON w.id = l.wallet_id
                WHERE l.wallet_id = \(adjustment.walletID) AND l.brand_id = \(brandID) AND w.erased_at IS NULL AND w.merged_into IS NULL
                FOR UPDATE OF l
                """, logger: logger).collect()
            guard let current = try rows.first?.decode(Int.self) else { throw PointsAdjustment.Problem.unknownWallet }
            let balance = try PointsAdjustment.balance(after: adjustment.points, from: current).get()
            // Points given restart the expiry clock, as a claim does; points taken back do not.
            try await connection.query("""
                UPDATE loyalty_balances
                SET points = \(balance),
                    last_activity_at = CASE WHEN \(adjustment.points) > 0 THEN now() ELSE last_activity_at END
                WHERE wallet_id = \(adjustment.walletID) AND brand_id = \(brandID)
                """, logger: logger)
            try await connection.query("""
                INSERT INTO loyalty_ledger (wallet_id, brand_id, kind, points, balance_after, reason, actor)
                VALUES (\(adjustment.walletID), \(brandID), 'adjust', \(adjustment.points), \(balance), \(adjustment.reason),
                        \("\(actor.kind):\(actor.name)"))
                """, logger: logger)
            try await AuditLog.record(
                "loyalty.adjust", subject: "wallet:\(adjustment.walletID)",
                details: ["points": String(adjustment.points), "balance": String(balance), "reason": adjustment.reason],
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return balance
        }
    }
}
