import Logging
import PostgresNIO

/// What `signet seals create` does: queue a batch, then run its job in this
/// process with progress, unless a server instance claimed it first, in
/// which case follow that instance's progress.
public struct SealBatchCommand: Sendable {
    let database: PostgresClient
    let logger: Logger

    public init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Returns the batch id; `progress(done, total)` is called as the work advances.
    public func run(
        brandID: Int64, batch: SealBatchStore.NewBatch, progress: @escaping @Sendable (Int64, Int64) -> Void
    ) async throws -> Int64 {
        let created = try await SealBatchStore(database: database, logger: logger).create(brandID: brandID, actor: .commandLine, batch)
        let jobs = JobStore(database: database, logger: logger)
        if let job = try await jobs.claim(id: created.jobID) {
            do {
                try await SealBatchGenerator(database: database, jobs: jobs, logger: logger).run(job: job, progress: progress)
            } catch {
                try? await jobs.fail(id: job.id, message: "the job stopped with an error; nothing was kept")
                throw error
            }
            return created.batchID
        }
        while true {
            guard let state = try await jobs.progress(id: created.jobID, brandID: brandID) else { break }
            progress(state.done, state.total)
            if state.state == "done" { break }
            if state.state == "failed" { throw SealBatchCommandError.failed(state.error ?? "") }
            try await Task.sleep(for: .milliseconds(500))
        }
        return created.batchID
    }
}

public enum SealBatchCommandError: Error, CustomStringConvertible {
    case failed(String)
    public var description: String {
        switch self {
        case .failed(let reason): "the batch failed: \(reason)"
        }
    }
}
