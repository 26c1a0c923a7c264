import Logging
import PostgresNIO
import SignetCore

/// Generates a batch's seals: random distinct serials, staged with `COPY`
/// and inserted in one transaction, so a batch is whole or absent. Serials
/// that collide with the product's existing seals are drawn again.
struct SealBatchGenerator: Sendable {
    let database: PostgresClient
    let jobs: JobStore
    let logger: Logger
    /// Rows per COPY chunk, and per progress report.
    static let chunk = 50_000

    struct Batch: Sendable {
        var id: Int64
        var brandID: Int64
        var productID: Int64
        var lotID: Int64?
        var quantity: Int
        var serialLength: Int
        var initialStatus: String
    }

    /// Runs the batch job `job`; `progress` also hears each step (the CLI draws a bar).
    func run(job: JobStore.Job, progress: (@Sendable (Int64, Int64) -> Void)? = nil) async throws {
        let rows = try await database.query("""
            SELECT id, brand_id, product_id, lot_id, quantity, serial_length, initial_status
            FROM seal_batches WHERE job_id = \(job.id) AND brand_id = \(job.brandID)
            """, logger: logger).collect()
        guard let row = rows.first else { throw SealBatchError.missingBatch(job: job.id) }
        let (id, brandID, productID, lotID, quantity, length, status) =
            try row.decode((Int64, Int64, Int64, Int64?, Int, Int?, String).self)
        guard let generator = SerialGenerator(length: length ?? 0) else { throw SealBatchError.missingBatch(job: job.id) }
        let batch = Batch(id: id, brandID: brandID, productID: productID, lotID: lotID, quantity: quantity,
                          serialLength: generator.length, initialStatus: status)
        let total = Int64(quantity)
        let jobs = jobs
        // Progress goes through another pooled connection, so it is visible
        // before the commit. With every connection taken (a pool of one) a
        // report is skipped rather than waited for: the batch must not wait on itself.
        let report: @Sendable (Int64) async -> Void = { done in
            progress?(done, total)
            _ = try? await withDatabaseDeadline(.seconds(2)) { try await jobs.report(id: job.id, done: done, total: total) }
        }
        await report(0)

        try await database.transaction(logger: logger) { connection in
            // A million rows may take longer than the serving pool's 5 s limit.
            try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
            try await connection.query("CREATE TEMP TABLE seal_staging (serial text NOT NULL) ON COMMIT DROP", logger: logger)
            var remaining = quantity
            var staged: Int64 = 0
            var random = SystemRandomNumberGenerator()
            var seen = Set<String>(minimumCapacity: quantity)
            for _ in 0..<5 where remaining > 0 {
                var drawn = 0
                // Drawn and staged chunk by chunk, so progress shows from the first seconds.
                while drawn < remaining {
                    let serials = generator.distinct(min(Self.chunk, remaining - drawn), notIn: &seen, using: &random)
                    try await connection.copyFrom(table: "seal_staging", columns: ["serial"], logger: logger) { writer in
                        var buffer = ByteBuffer()
                        buffer.reserveCapacity(serials.count * (generator.length + 1))
                        for serial in serials {
                            buffer.writeString(serial)
                            buffer.writeInteger(UInt8(ascii: "\n"))
                        }
                        try await writer.write(buffer)
                    }
                    drawn += serials.count
                    staged += Int64(serials.count)
                    // Staging is most of the work; the final insert is the last step.
                    await report(min(staged, total) * 9 / 10)
                }
                let inserted = try await connection.query("""
                    WITH inserted AS (
                        INSERT INTO seals (brand_id, product_id, lot_id, batch_id, serial, status, activated_at)
                        SELECT \(batch.brandID), \(batch.productID), \(batch.lotID), \(batch.id), s.serial, \(batch.initialStatus),
                               CASE WHEN \(batch.initialStatus) = 'active' THEN now() END
                        FROM seal_staging s
                        ON CONFLICT (product_id, serial) DO NOTHING
                        RETURNING 1)
                    SELECT count(*)::int FROM inserted
                    """, logger: logger).collect()
                remaining -= try inserted.first?.decode(Int.self) ?? 0
                try await connection.query("TRUNCATE seal_staging", logger: logger)
            }
            guard remaining == 0 else { throw SealBatchError.serialSpaceExhausted }
            // Only this claim may finish the job: if another instance took it over
            // meanwhile, roll back so the batch is generated once.
            let finished = try await connection.query("""
                UPDATE jobs SET state = 'done', progress_done = \(total), progress_total = \(total), finished_at = now(),
                                heartbeat_at = now()
                WHERE id = \(job.id) AND attempts = \(job.attempt) AND state = 'running'
                RETURNING 1
                """, logger: logger).collect()
            guard !finished.isEmpty else { throw SealBatchError.takenOver }
        }
        progress?(total, total)
    }
}

enum SealBatchError: Error, CustomStringConvertible {
    case missingBatch(job: Int64)
    case serialSpaceExhausted
    case takenOver

    var description: String {
        switch self {
        case .missingBatch(let job): "job \(job) has no seal batch"
        case .serialSpaceExhausted: "could not draw enough new serials; use longer serials"
        case .takenOver: "another instance took the job over; this attempt rolled back"
        }
    }
}
