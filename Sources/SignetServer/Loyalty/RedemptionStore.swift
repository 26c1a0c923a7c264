import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Redemptions and their vouchers: points out of a wallet and one unit out of
/// a reward's stock in one transaction; a voucher used once; a cancellation
/// refunding once.
struct RedemptionStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    enum Status: String, Sendable {
        case issued, used, cancelled
    }

    struct Redemption: Sendable, Equatable {
        var id: Int64
        var brandID: Int64
        var rewardID: Int64
        var walletID: Int64
        var points: Int
        var code: VoucherCode
        var status: Status
        var createdAt: Date
        var usedAt: Date?
        var usedBy: String?
    }

    /// Redeems `rewardID` for `walletID`. A retry with the same idempotency
    /// key returns the first redemption and changes nothing; a refusal is thrown.
    func redeem(walletID: Int64, brandID: Int64, rewardID: Int64, idempotencyKey: String) async throws -> Redemption {
        if let earlier = try await redemption(walletID: walletID, idempotencyKey: idempotencyKey) { return earlier }
        do {
            return try await database.transaction(logger: logger) { connection in
                // Always the balance first, then the reward: the order every writer of both takes.
                try await connection.query("""
                    INSERT INTO loyalty_balances (wallet_id, brand_id) VALUES (\(walletID), \(brandID)) ON CONFLICT DO NOTHING
                    """, logger: logger)
                let balanceRows = try await connection.query("""
                    SELECT points FROM loyalty_balances WHERE wallet_id = \(walletID) AND brand_id = \(brandID) FOR UPDATE
                    """, logger: logger).collect()
                let balance = try balanceRows[0].decode(Int.self)
                let rewardRows = try await connection.query("""
                    SELECT r.point_cost, r.stock, r.per_wallet_limit, r.archived,
                           extract(epoch FROM r.active_from)::float8, extract(epoch FROM r.active_until)::float8,
                           extract(epoch FROM now())::float8,
                           (SELECT count(*)::integer FROM redemptions d
                            WHERE d.wallet_id = \(walletID) AND d.reward_id = r.id AND d.status <> 'cancelled')
                    FROM rewards r WHERE r.brand_id = \(brandID) AND r.id = \(rewardID)
                    FOR UPDATE OF r
                    """, logger: logger).collect()
                guard let rewardRow = rewardRows.first else { throw RedemptionRules.Refusal.notAvailable }
                let (cost, stock, limit, archived, from, until, now, redeemed)
                    = try rewardRow.decode((Int, Int?, Int?, Bool, Double?, Double?, Double, Int).self)
                if let refusal = RedemptionRules.refusal(.init(
                    balance: balance, cost: cost, stock: stock, perWalletLimit: limit, redeemedByWallet: redeemed,
                    archived: archived, activeFrom: from, activeUntil: until, now: now))
                {
                    throw refusal
                }
                let left = try await connection.query("""
                    UPDATE loyalty_balances SET points = points - \(cost), last_activity_at = now()
                    WHERE wallet_id = \(walletID) AND brand_id = \(brandID) RETURNING points
                    """, logger: logger).collect()
                let newBalance = try left[0].decode(Int.self)
                if stock != nil {
                    try await connection.query("UPDATE rewards SET stock = stock - 1 WHERE id = \(rewardID)", logger: logger)
                }
                let code = VoucherCode(randomBytes: (0..<8).map { _ in UInt8.random(in: .min ... .max) })
                let rows = try await connection.query("""
                    INSERT INTO redemptions (brand_id, reward_id, wallet_id, points, voucher_code, idempotency_key)
                    VALUES (\(brandID), \(rewardID), \(walletID), \(cost), \(code.normalized), \(idempotencyKey))
                    RETURNING id, created_at
                    """, logger: logger).collect()
                let (id, createdAt) = try rows[0].decode((Int64, Date).self)
                try await connection.query("""
                    INSERT INTO loyalty_ledger (wallet_id, brand_id, kind, points, balance_after, redemption_id)
                    VALUES (\(walletID), \(brandID), 'redeem', \(-cost), \(newBalance), \(id))
                    """, logger: logger)
                return Redemption(
                    id: id, brandID: brandID, rewardID: rewardID, walletID: walletID, points: cost, code: code, status: .issued,
                    createdAt: createdAt)
            }
        } catch let error as PSQLError where error.violatedUniqueConstraint == "redemptions_wallet_id_idempotency_key_key" {
            // The same request, twice at once: the first one's answer.
            guard let earlier = try await redemption(walletID: walletID, idempotencyKey: idempotencyKey) else { throw error }
            return earlier
        }
    }

    enum UseOutcome: Sendable, Equatable {
        case used(Redemption)
        case alreadyUsed(Redemption)
        case cancelled(Redemption)
        case notFound
    }

    /// Marks a voucher of the brand used, once: of two shops at once, one succeeds.
    func use(brandID: Int64, code: VoucherCode, by who: String) async throws -> UseOutcome {
        let rows = try await database.query("""
            UPDATE redemptions SET status = 'used', used_at = now(), used_by = \(who)
            WHERE brand_id = \(brandID) AND voucher_code = \(code.normalized) AND status = 'issued'
            RETURNING \(unescaped: Self.columns)
            """, logger: logger).collect()
        if let row = rows.first { return .used(try Self.decode(row)) }
        guard let current = try await voucher(brandID: brandID, code: code) else { return .notFound }
        return current.status == .used ? .alreadyUsed(current) : .cancelled(current)
    }

    /// Cancels an issued voucher and refunds its points and stock, once.
    /// Nil when the brand has no such redemption or it is no longer `issued`.
    func cancel(brandID: Int64, id: Int64, by who: String, actor: AuditActor = .commandLine) async throws -> Redemption? {
        try await database.transaction(logger: logger) { connection in
            let found = try await connection.query("""
                SELECT wallet_id FROM redemptions WHERE brand_id = \(brandID) AND id = \(id) AND status = 'issued'
                """, logger: logger).collect()
            guard let walletID = try found.first?.decode(Int64.self) else { return nil }
            // The balance before the reward and the redemption, as in `redeem`.
            try await connection.query(
                "SELECT 1 FROM loyalty_balances WHERE wallet_id = \(walletID) AND brand_id = \(brandID) FOR UPDATE", logger: logger)
            let rows = try await connection.query("""
                UPDATE redemptions SET status = 'cancelled', cancelled_at = now(), cancelled_by = \(who)
                WHERE brand_id = \(brandID) AND id = \(id) AND status = 'issued'
                RETURNING \(unescaped: Self.columns)
                """, logger: logger).collect()
            guard let row = rows.first else { return nil }
            let redemption = try Self.decode(row)
            try await connection.query(
                "UPDATE rewards SET stock = stock + 1 WHERE id = \(redemption.rewardID) AND stock IS NOT NULL", logger: logger)
            let refunded = try await connection.query("""
                UPDATE loyalty_balances SET points = points + \(redemption.points)
                WHERE wallet_id = \(walletID) AND brand_id = \(brandID) RETURNING points
                """, logger: logger).collect()
            let balance = try refunded[0].decode(Int.self)
            try await connection.query("""
                INSERT INTO loyalty_ledger (wallet_id, brand_id, kind, points, balance_after, redemption_id, actor)
                VALUES (\(walletID), \(brandID), 'refund', \(redemption.points), \(balance), \(redemption.id), \(who))
                """, logger: logger)
            try await AuditLog.record(
                "redemption.cancel", subject: "redemption:\(redemption.id)",
                details: ["voucher": redemption.code.description, "points": String(redemption.points)],
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return redemption
        }
    }

    func redemption(brandID: Int64, id: Int64) async throws -> Redemption? {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM redemptions WHERE brand_id = \(brandID) AND id = \(id)
            """, logger: logger).collect()
        return try rows.first.map(Self.decode)
    }

    func voucher(brandID: Int64, code: VoucherCode) async throws -> Redemption? {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM redemptions WHERE brand_id = \(brandID) AND voucher_code = \(code.normalized)
            """, logger: logger).collect()
        return try rows.first.map(Self.decode)
    }

    /// A wallet's own voucher, whatever the brand.
    func voucher(walletID: Int64, code: VoucherCode) async throws -> Redemption? {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM redemptions WHERE wallet_id = \(walletID) AND voucher_code = \(code.normalized)
            """, logger: logger).collect()
        return try rows.first.map(Self.decode)
    }

    func redemptions(walletID: Int64) async throws -> [Redemption] {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM redemptions WHERE wallet_id = \(walletID) ORDER BY id DESC LIMIT 100
            """, logger: logger).collect()
        return try rows.map(Self.decode)
    }

    private func redemption(walletID: Int64, idempotencyKey: String) async throws -> Redemption? {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM redemptions WHERE wallet_id = \(walletID) AND idempotency_key = \(idempotencyKey)
            """, logger: logger).collect()
        return try rows.first.map(Self.decode)
    }

    private static let columns = "id, brand_id, reward_id, wallet_id, points, voucher_code, status, created_at, used_at, used_by"

    static func decode(_ row: PostgresRow) throws -> Redemption {
        let (id, brand, reward, wallet, points, code, status, created, used, usedBy)
            = try row.decode((Int64, Int64, Int64, Int64, Int, String, String, Date, Date?, String?).self)
        return Redemption(
            id: id, brandID: brand, rewardID: reward, walletID: wallet, points: points,
            code: VoucherCode(reading: code) ?? VoucherCode(randomBytes: [0, 0, 0, 0, 0, 0, 0, 0]),
            status: Status(rawValue: status) ?? .issued, createdAt: created, usedAt: used, usedBy: usedBy)
    }
}
