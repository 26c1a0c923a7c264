import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Applies a large capture document in the background: reads it again,
/// captures it, records the outcome, drops the document and finishes the job,
/// all in one transaction that only the job's current claim may commit.
struct TraceCaptureJob: Sendable {
    let database: PostgresClient
    let captures: TraceCaptureStore
    let jobs: JobStore
    let logger: Logger

    func run(job: JobStore.Job) async throws {
        // The capture is one transaction that may outlast the minute after which a silent job is taken over:
        // beat through another pooled connection meanwhile.
        let jobs = jobs
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(10))
                _ = try? await withDatabaseDeadline(.seconds(2)) { try await jobs.beat(id: job.id) }
            }
        }
        defer { heartbeat.cancel() }
        // Read and check the document before the transaction: parsing ten thousand events takes a while,
        // and a transaction holding an id meanwhile would hold back every consultation stream consumer
        // (they read below the oldest transaction in progress).
        let rows = try await database.query("""
            SELECT id, error_behaviour, document FROM trace_captures
            WHERE job_id = \(job.id) AND brand_id = \(job.brandID) AND running
            """, logger: logger).collect()
        guard let row = rows.first else { throw TraceCaptureJobError.missingCapture(job: job.id) }
        let (id, behaviourText, document) = try row.decode((UUID, String, ByteBuffer).self)
        let behaviour = TraceCaptureStore.ErrorBehaviour(rawValue: behaviourText) ?? .rollback
        // The request checked the document; reading it cannot fail now short of a changed reader.
        let reading = try EPCISDocumentReader.read(Array(document.readableBytesView))
        try await database.transaction(logger: logger) { connection in
            try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
            let locked = try await connection.query(
                "SELECT 1 FROM trace_captures WHERE id = \(id) AND running FOR UPDATE", logger: logger
            ).collect()
            guard !locked.isEmpty else { throw TraceCaptureJobError.missingCapture(job: job.id) }
            let outcome = try await captures.capture(brandID: job.brandID, reading.events, behaviour: behaviour, on: connection)
            try await connection.query("""
                UPDATE trace_captures SET running = false, success = \(outcome.success), captured = \(outcome.captured),
                                          duplicate_event_ids = \(outcome.duplicates),
                                          errors = \(try TraceCaptureRecordStore.json(outcome.errors))::jsonb,
                                          document = NULL, finished_at = now()
                WHERE id = \(id)
                """, logger: logger)
            let finished = try await connection.query("""
                UPDATE jobs SET state = 'done', progress_done = \(reading.events.count), progress_total = \(reading.events.count),
                                finished_at = now(), heartbeat_at = now()
                WHERE id = \(job.id) AND attempts = \(job.attempt) AND state = 'running'
                RETURNING 1
                """, logger: logger).collect()
            guard !finished.isEmpty else { throw SealBatchError.takenOver }
        }
    }
}

enum TraceCaptureJobError: Error, CustomStringConvertible {
    case missingCapture(job: Int64)

    var description: String {
        switch self {
        case .missingCapture(let job): "job \(job) has no capture waiting"
        }
    }
}
