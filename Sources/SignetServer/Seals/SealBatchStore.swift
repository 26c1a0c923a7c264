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
    public func create(
        brandID: Int64, access: ProductAccess = .all, actor: AuditActor, _ batch: NewBatch
    ) async throws -> (batchID: Int64, jobID: Int64) {
        try await database.transaction(logger: logger) { connection in
            let (productID, lotID) = try await Self.productAndLot(
                brandID: brandID, access: access, gtin: batch.gtin, lotCode: batch.lotCode, on: connection, logger: logger)
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

    /// Stores a packaging line's serials as one batch, all or none: serials
    /// the product already has are refused with their line numbers.
    func importSerials(
        brandID: Int64, access: ProductAccess, actor: AuditActor, gtin: GTIN, lotCode: String?, initialStatus: SealStatus,
        file: SerialImportFile, filename: String
    ) async throws -> Int64 {
        do {
            return try await database.transaction(logger: logger) { connection in
                try await connection.query("SET LOCAL statement_timeout = '120s'", logger: logger)
                let (productID, lotID) = try await Self.productAndLot(
                    brandID: brandID, access: access, gtin: gtin, lotCode: lotCode, on: connection, logger: logger)
                var problems: [SerialImportFile.Problem] = []
                for chunk in file.serials.chunked(into: Self.importChunk) where problems.count < SerialImportFile.maximumProblems {
                    let lines = Dictionary(uniqueKeysWithValues: chunk.map { ($0.serial, $0.line) })
                    let taken = try await connection.query("""
                        SELECT serial::text FROM seals WHERE product_id = \(productID) AND serial = ANY(\(chunk.map(\.serial))::text[])
                        """, logger: logger)
                    for try await serial in taken.decode(String.self) {
                        problems.append(.init(line: lines[serial] ?? 0, reason: "portal_import_exists", serial: serial))
                    }
                }
                guard problems.isEmpty else {
                    throw SealImportRejected(problems: Array(problems.sorted { $0.line < $1.line }.prefix(SerialImportFile.maximumProblems)))
                }
                let batches = try await connection.query("""
                    INSERT INTO seal_batches (brand_id, product_id, lot_id, source, quantity, initial_status, created_by)
                    VALUES (\(brandID), \(productID), \(lotID), 'imported', \(file.serials.count), \(initialStatus.rawValue), \(actor.name))
                    RETURNING id
                    """, logger: logger).collect()
                let batchID = try batches[0].decode(Int64.self)
                for chunk in file.serials.chunked(into: Self.importChunk) {
                    try await connection.query("""
                        INSERT INTO seals (brand_id, product_id, lot_id, batch_id, serial, status, activated_at)
                        SELECT \(brandID), \(productID), \(lotID), \(batchID), serial, \(initialStatus.rawValue),
                               CASE WHEN \(initialStatus.rawValue) = 'active' THEN now() END
                        FROM unnest(\(chunk.map(\.serial))::text[]) AS serial
                        """, logger: logger)
                }
                try await AuditLog.record(
                    "seal_batch.import", subject: "seal_batch:\(batchID)",
                    details: ["gtin": gtin.digits, "quantity": String(file.serials.count), "file": String(filename.prefix(200)),
                              "status": initialStatus.rawValue],
                    brandID: brandID, actor: actor, on: connection, logger: logger)
                return batchID
            }
        } catch let error as PSQLError where error.violatedUniqueConstraint == "seals_product_id_serial_key" {
            // Another import of the same serials committed between our check and our insert.
            throw SealImportRejected(problems: [])
        }
    }

    static let importChunk = 50_000

    private static func productAndLot(
        brandID: Int64, access: ProductAccess, gtin: GTIN, lotCode: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> (product: Int64, lot: Int64?) {
        let products = try await connection.query(
            "SELECT id FROM products WHERE brand_id = \(brandID) AND gtin = \(gtin.digits)", logger: logger
        ).collect()
        guard let productID = try products.first?.decode(Int64.self), access.allows(productID: productID) else {
            throw SealBatchProblem.unknownProduct
        }
        guard let lotCode else { return (productID, nil) }
        let lots = try await connection.query(
            "SELECT id FROM lots WHERE brand_id = \(brandID) AND product_id = \(productID) AND code = \(lotCode)", logger: logger
        ).collect()
        guard let lotID = try lots.first?.decode(Int64.self) else { throw SealBatchProblem.unknownLot }
        return (productID, lotID)
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
    func batches(brandID: Int64, access: ProductAccess, language: Language) async throws -> [BatchSummary] {
        try await summaries(brandID: brandID, access: access, id: nil, language: language)
    }

    func batch(brandID: Int64, access: ProductAccess, id: Int64, language: Language) async throws -> BatchSummary? {
        try await summaries(brandID: brandID, access: access, id: id, language: language).first
    }

    private func summaries(brandID: Int64, access: ProductAccess, id: Int64?, language: Language) async throws -> [BatchSummary] {
        let rows = try await database.query("""
            SELECT b.id, p.gtin,
                   coalesce((SELECT t.name FROM product_translations t WHERE t.product_id = p.id
                             ORDER BY t.language = \(language.rawValue) DESC, t.language = p.default_language DESC LIMIT 1), p.gtin),
                   l.code, b.quantity, b.initial_status, b.intended_markets,
                   to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), b.created_by, b.job_id
            FROM seal_batches b JOIN products p ON p.id = b.product_id LEFT JOIN lots l ON l.id = b.lot_id
            WHERE b.brand_id = \(brandID) AND (\(id)::bigint IS NULL OR b.id = \(id))
              AND (\(access.productIDs)::bigint[] IS NULL OR p.id = ANY(\(access.productIDs)))
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

    /// Which of a batch's seals a status change touches.
    enum Selection: Sendable {
        case all
        case serials([String])
        /// Serials from `from` to `to` inclusive, compared byte by byte
        /// (`A0009` < `A0010`), as packaging lines number them.
        case range(from: String, to: String)

        var auditText: String {
            switch self {
            case .all: "all"
            case .serials(let serials): "\(serials.count) serials"
            case .range(let from, let to): "\(from)…\(to)"
            }
        }
    }

    /// Activates or deactivates the batch's seals in `selection`; returns how many changed.
    func setStatus(
        brandID: Int64, actor: AuditActor, batchID: Int64, to status: SealStatus, selection: Selection
    ) async throws -> Int {
        var serials: [String]?, first: String?, last: String?
        switch selection {
        case .all: break
        case .serials(let list): serials = list
        case .range(let from, let to): (first, last) = (from, to)
        }
        return try await database.transaction(logger: logger) { connection in
            try await connection.query("SET LOCAL statement_timeout = '120s'", logger: logger)
            let previous = status == .active ? ["pending", "deactivated"] : ["pending", "active"]
            let rows = try await connection.query("""
                WITH changed AS (
                    UPDATE seals SET status = \(status.rawValue),
                                     activated_at = CASE WHEN \(status.rawValue) = 'active' THEN coalesce(activated_at, now()) ELSE activated_at END
                    WHERE brand_id = \(brandID) AND batch_id = \(batchID) AND status = ANY(\(previous))
                      AND (\(serials == nil) OR serial = ANY(\(serials ?? [])))
                      AND (\(first)::text IS NULL OR serial::text COLLATE "C" BETWEEN \(first) AND \(last))
                    RETURNING 1)
                SELECT count(*)::int FROM changed
                """, logger: logger).collect()
            let changed = try rows.first?.decode(Int.self) ?? 0
            try await AuditLog.record(
                status == .active ? "seal_batch.activate" : "seal_batch.deactivate", subject: "seal_batch:\(batchID)",
                details: ["seals": String(changed), "selection": selection.auditText],
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return changed
        }
    }
}

/// An import refused because of its rows; empty problems mean a concurrent
/// import took some of the serials first.
struct SealImportRejected: Error {
    var problems: [SerialImportFile.Problem]
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
