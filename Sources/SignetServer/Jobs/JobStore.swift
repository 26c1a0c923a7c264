import Logging
import PostgresNIO

/// The `jobs` table as a queue: any instance claims the oldest waiting job
/// with `FOR UPDATE SKIP LOCKED`, so two instances never run the same job,
/// and a job whose instance died (no heartbeat for a minute) is taken over.
package struct JobStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    package init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
    }
    /// A running job without a heartbeat for this long belongs to a dead instance.
    static let abandonedAfterSeconds = 60
    /// Tries before a job that keeps failing is given up.
    static let maximumAttempts = 3

    package struct Job: Sendable {
        var id: Int64
        var brandID: Int64
        var kind: String
        /// Which claim of the job this is: a job taken over from a dead
        /// instance has a higher number, and only the current claim may finish it.
        var attempt: Int
    }

    struct Progress: Sendable {
        var state: String
        var done: Int64
        var total: Int64
        var error: String?

        var percent: Int { total > 0 ? Int(done * 100 / total) : (state == "done" ? 100 : 0) }
        var isFinished: Bool { state == "done" || state == "failed" }
    }

    package func claim() async throws -> Job? {
        let rows = try await database.query("""
            UPDATE jobs SET state = 'running', started_at = coalesce(started_at, now()), heartbeat_at = now(),
                            attempts = attempts + 1
            WHERE id = (
                SELECT id FROM jobs
                WHERE state = 'queued'
                   OR (state = 'running' AND heartbeat_at < now() - make_interval(secs => \(Self.abandonedAfterSeconds)))
                ORDER BY created_at
                FOR UPDATE SKIP LOCKED
                LIMIT 1)
            RETURNING id, brand_id, kind, attempts
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (id, brandID, kind, attempts) = try row.decode((Int64, Int64, String, Int).self)
        if attempts > Self.maximumAttempts {
            try await fail(id: id, message: "gave up after \(Self.maximumAttempts) attempts")
            return nil
        }
        return Job(id: id, brandID: brandID, kind: kind, attempt: attempts)
    }

    /// Claims one particular queued job (the CLI runs the job it just created); nil if another instance has it.
    func claim(id: Int64) async throws -> Job? {
        let rows = try await database.query("""
            UPDATE jobs SET state = 'running', started_at = now(), heartbeat_at = now(), attempts = attempts + 1
            WHERE id = (SELECT id FROM jobs WHERE id = \(id) AND state = 'queued' FOR UPDATE SKIP LOCKED)
            RETURNING id, brand_id, kind, attempts
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (jobID, brandID, kind, attempts) = try row.decode((Int64, Int64, String, Int).self)
        return Job(id: jobID, brandID: brandID, kind: kind, attempt: attempts)
    }

    /// The heartbeat of a job that reports no progress.
    func beat(id: Int64) async throws {
        try await database.query("UPDATE jobs SET heartbeat_at = now() WHERE id = \(id) AND state = 'running'", logger: logger)
    }

    /// Progress, which is also the heartbeat.
    func report(id: Int64, done: Int64, total: Int64) async throws {
        try await database.query(
            "UPDATE jobs SET progress_done = \(done), progress_total = \(total), heartbeat_at = now() WHERE id = \(id)",
            logger: logger)
    }

    /// Also ends the capture a failed `trace_capture` job was applying, so its status stops saying running.
    func fail(id: Int64, message: String) async throws {
        try await database.query("""
            WITH failed AS (
                UPDATE jobs SET state = 'failed', error = \(message), finished_at = now() WHERE id = \(id) RETURNING id)
            UPDATE trace_captures SET running = false, success = false, finished_at = now(), document = NULL,
                                      errors = jsonb_build_array(jsonb_build_object('index', -1, 'field', '', 'message', \(message)::text))
            WHERE job_id IN (SELECT id FROM failed) AND running
            """, logger: logger)
    }

    func progress(id: Int64, brandID: Int64) async throws -> Progress? {
        let rows = try await database.query(
            "SELECT state, progress_done, progress_total, error FROM jobs WHERE id = \(id) AND brand_id = \(brandID)",
            logger: logger
        ).collect()
        guard let row = rows.first else { return nil }
        let (state, done, total, error) = try row.decode((String, Int64, Int64, String?).self)
        return Progress(state: state, done: done, total: total, error: error)
    }
}
