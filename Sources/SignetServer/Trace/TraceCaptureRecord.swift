import Foundation
import Logging
import PostgresNIO
import SignetCore

/// A capture request as `GET /epcis/capture/{id}` reports it (the EPCIS 2.0
/// CaptureJob), with Signet's counts beside the standard's fields.
struct TraceCaptureRecord: Sendable, Equatable {
    var id: UUID
    var errorBehaviour: TraceCaptureStore.ErrorBehaviour
    var eventCount: Int
    var running: Bool
    var outcome: TraceCaptureOutcome?
    var createdAt: Date
    var finishedAt: Date?

    var json: String {
        struct Body: Encodable {
            var captureID: String
            var createdAt: String
            var finishedAt: String?
            var running: Bool
            var success: Bool?
            var captureErrorBehaviour: String
            var eventCount: Int
            var captured: Int?
            var duplicates: [String]?
            var errors: [TraceCaptureOutcome.EventError]
        }
        let body = Body(
            captureID: id.uuidString.lowercased(), createdAt: EPCISTimestamp.format(createdAt),
            finishedAt: finishedAt.map(EPCISTimestamp.format), running: running, success: outcome?.success,
            captureErrorBehaviour: errorBehaviour.rawValue, eventCount: eventCount, captured: outcome?.captured,
            duplicates: outcome?.duplicates, errors: outcome?.errors ?? [])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(body)) ?? Data(), as: UTF8.self)
    }
}

/// The `trace_captures` table: every capture request and its outcome, and
/// the documents waiting for a job.
struct TraceCaptureRecordStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    /// Records a capture that was applied while its request waited.
    func recordFinished(id: UUID, brandID: Int64, behaviour: TraceCaptureStore.ErrorBehaviour, eventCount: Int,
                        outcome: TraceCaptureOutcome) async throws {
        try await database.query("""
            INSERT INTO trace_captures (id, brand_id, error_behaviour, event_count, captured, duplicate_event_ids, errors,
                                        running, success, finished_at)
            VALUES (\(id), \(brandID), \(behaviour.rawValue), \(eventCount), \(outcome.captured), \(outcome.duplicates),
                    \(try Self.json(outcome.errors))::jsonb, false, \(outcome.success), now())
            """, logger: logger)
    }

    /// Keeps a large document and queues the job that applies it, in one transaction.
    func enqueue(id: UUID, brandID: Int64, behaviour: TraceCaptureStore.ErrorBehaviour, eventCount: Int,
                 document: [UInt8]) async throws {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "INSERT INTO jobs (brand_id, kind) VALUES (\(brandID), 'trace_capture') RETURNING id", logger: logger
            ).collect()
            let job = try rows[0].decode(Int64.self)
            try await connection.query("""
                INSERT INTO trace_captures (id, brand_id, job_id, error_behaviour, event_count, document)
                VALUES (\(id), \(brandID), \(job), \(behaviour.rawValue), \(eventCount), \(ByteBuffer(bytes: document)))
                """, logger: logger)
        }
    }

    func find(brandID: Int64, id: UUID) async throws -> TraceCaptureRecord? {
        let rows = try await database.query("""
            SELECT id, error_behaviour, event_count, running, captured, duplicate_event_ids, errors::text, created_at, finished_at
            FROM trace_captures WHERE brand_id = \(brandID) AND id = \(id)
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (captureID, behaviour, count, running, captured, duplicates, errors, created, finished) =
            try row.decode((UUID, String, Int, Bool, Int, [String], String, Date, Date?).self)
        let eventErrors = try JSONDecoder().decode([TraceCaptureOutcome.EventError].self, from: Data(errors.utf8))
        return TraceCaptureRecord(
            id: captureID, errorBehaviour: TraceCaptureStore.ErrorBehaviour(rawValue: behaviour) ?? .rollback, eventCount: count,
            running: running,
            outcome: running ? nil : TraceCaptureOutcome(captured: captured, duplicates: duplicates, errors: eventErrors,
                                                         rolledBack: captured == 0 && !eventErrors.isEmpty),
            createdAt: created, finishedAt: finished)
    }

    static func json(_ errors: [TraceCaptureOutcome.EventError]) throws -> String {
        String(decoding: try JSONEncoder().encode(errors), as: UTF8.self)
    }
}
