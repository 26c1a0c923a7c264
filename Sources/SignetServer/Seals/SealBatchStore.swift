import Logging
import PostgresNIO
import SignetCore

/// Seal batches and their seals, always within one brand.
public struct SealBatchStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    public init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public static let maximumQuantity = 5_000_000

    public struct NewBatch: Sendable {
        public var gtin: GTIN
        public var lotCode: String?
        public var quantity: Int
        public var serialLength: Int
        public var initialStatus: SealStatus
        public var markets: [String]

        public init(gtin: GTIN, lotCode: String?, quantity: Int, serialLength: Int, initialStatus: SealStatus, markets: [String]) {
            self.gtin = gtin
            self.lotCode = lotCode
            self.quantity = quantity
            self.serialLength = serialLength
            self.initialStatus = initialStatus
            self.markets = markets
        }
    }

    /// Records the batch and queues the job that generates its seals.
    public func create(brandID: Int64, actor: AuditActor, _ batch: NewBatch) async throws -> (batchID: Int64, jobID: Int64) {
        try await database.transaction(logger: logger) { connection in
            let products = try await connection.query(
                "SELECT id FROM products WHERE brand_id = \(brandID) AND gtin = \(batch.gtin.digits)", logger: logger
            ).collect()
            guard let productID = try products.first?.decode(Int64.self) else { throw SealBatchProblem.unknownProduct }
            var lotID: Int64?
            if let code = batch.lotCode {
                let lots = try await connection.query(
                    "SELECT id FROM lots WHERE brand_id = \(brandID) AND product_id = \(productID) AND code = \(code)", logger: logger
                ).collect()
                guard let id = try lots.first?.decode(Int64.self) else { throw SealBatchProblem.unknownLot }
                lotID = id
            }
            let jobs = try await connection.query("""
                INSERT INTO jobs (brand_id, kind, progress_total) VALUES (\(brandID), 'seal_batch', \(batch.quantity)) RETURNING id
                """, logger: logger).collect()
            let jobID = try jobs[0].decode(Int64.self)
            let batches = try await connection.query("""
                INSERT INTO seal_batches (brand_id, product_id, lot_id, job_id, source, quantity, serial_length, initial_status,
                                          intended_markets, created_by)
                VALUES (\(brandID), \(productID), \(lotID), \(jobID), 'generated', \(batch.quantity), \(batch.serialLength),
                        \(batch.initialStatus.rawValue), \(batch.markets), \(actor.name))
                RETURNING id
                """, logger: logger).collect()
            let batchID = try batches[0].decode(Int64.self)
            try await AuditLog.record(
                "seal_batch.create", subject: "seal_batch:\(batchID)",
                details: ["gtin": batch.gtin.digits, "quantity": String(batch.quantity), "status": batch.initialStatus.rawValue],
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return (batchID, jobID)
        }
    }

    struct BatchSummary: Sendable {
        var id: Int64
        var gtin: String
        var productName: String
        var lotCode: String?
        var quantity: Int
        var initialStatus: String
        var markets: [String]
        var createdAt: String
        var createdBy: String
        var jobID: Int64?
    }

    /// The brand's latest 200 batches, newest first.
    func batches(brandID: Int64, language: Language) async throws -> [BatchSummary] {
        try await summaries(brandID: brandID, id: nil, language: language)
    }

    func batch(brandID: Int64, id: Int64, language: Language) async throws -> BatchSummary? {
        try await summaries(brandID: brandID, id: id, language: language).first
    }

    private func summaries(brandID: Int64, id: Int64?, language: Language) async throws -> [BatchSummary] {
        let rows = try await database.query("""
            SELECT b.id, p.gtin,
                   coalesce((SELECT t.name FROM product_translations t WHERE t.product_id = p.id
                             ORDER BY t.language = \(language.rawValue) DESC, t.language = p.default_language DESC LIMIT 1), p.gtin),
                   l.code, b.quantity, b.initial_status, b.intended_markets,
                   to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), b.created_by, b.job_id
            FROM seal_batches b JOIN products p ON p.id = b.product_id LEFT JOIN lots l ON l.id = b.lot_id
            WHERE b.brand_id = \(brandID) AND (\(id)::bigint IS NULL OR b.id = \(id))
            ORDER BY b.id DESC
            LIMIT 200
            """, logger: logger)
        return try await Self.decodeSummaries(rows)
    }

    private static func decodeSummaries(_ rows: PostgresRowSequence) async throws -> [BatchSummary] {
        var batches: [BatchSummary] = []
        for try await (id, gtin, name, lot, quantity, status, markets, created, by, job)
            in rows.decode((Int64, String, String, String?, Int, String, [String], String, String, Int64?).self) {
            batches.append(BatchSummary(
                id: id, gtin: gtin, productName: name, lotCode: lot, quantity: quantity, initialStatus: status,
                markets: markets, createdAt: created, createdBy: by, jobID: job))
        }
        return batches
    }

    /// Seals of the batch by status.
    func statusCounts(brandID: Int64, batchID: Int64) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for try await (status, count) in try await database.query(
            "SELECT status, count(*)::int FROM seals WHERE brand_id = \(brandID) AND batch_id = \(batchID) GROUP BY status",
            logger: logger
        ).decode((String, Int).self) {
            counts[status] = count
        }
        return counts
    }

    /// Activates or deactivates the batch's seals, all or only `serials`;
    /// returns how many changed.
    func setStatus(
        brandID: Int64, actor: AuditActor, batchID: Int64, to status: SealStatus, serials: [String]?
    ) async throws -> Int {
        try await database.transaction(logger: logger) { connection in
            try await connection.query("SET LOCAL statement_timeout = '120s'", logger: logger)
            let from = status == .active ? ["pending", "deactivated"] : ["pending", "active"]
            let rows = try await connection.query("""
                WITH changed AS (
                    UPDATE seals SET status = \(status.rawValue),
                                     activated_at = CASE WHEN \(status.rawValue) = 'active' THEN coalesce(activated_at, now()) ELSE activated_at END
                    WHERE brand_id = \(brandID) AND batch_id = \(batchID) AND status = ANY(\(from))
                      AND (\(serials == nil) OR serial = ANY(\(serials ?? [])))
                    RETURNING 1)
                SELECT count(*)::int FROM changed
                """, logger: logger).collect()
            let changed = try rows.first?.decode(Int.self) ?? 0
            try await AuditLog.record(
                status == .active ? "seal_batch.activate" : "seal_batch.deactivate", subject: "seal_batch:\(batchID)",
                details: ["seals": String(changed), "selection": serials == nil ? "all" : "\(serials!.count) serials"],
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return changed
        }
    }
}

/// Why a batch request was refused; each is a localized message key.
public enum SealBatchProblem: Error, Sendable {
    case unknownProduct
    case unknownLot

    var messageKey: String {
        switch self {
        case .unknownProduct: "portal_error_product_unknown"
        case .unknownLot: "portal_error_lot_unknown"
        }
    }
}
