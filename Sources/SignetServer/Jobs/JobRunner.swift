import Logging
import PostgresNIO
import ServiceLifecycle

/// Runs queued jobs in the background of every instance, one at a time.
/// Polls once a second when idle; a finished job looks again at once.
struct JobRunner: Service {
    let jobs: JobStore
    let sealBatches: SealBatchGenerator
    let traceCaptures: TraceCaptureJob
    let logger: Logger
    var idleInterval: Duration = .seconds(1)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let worked = await runOne()
                if !worked { try? await Task.sleep(for: idleInterval) }
            }
        }
    }

    /// Claims and runs one job; false when there was none (or the database is away).
    @discardableResult
    func runOne() async -> Bool {
        let job: JobStore.Job
        do {
            let jobs = jobs
            // A claim answered after the limit would leave its job running nowhere until it counts as
            // abandoned, so the limit only guards against a connection that never answers: half the
            // time after which another instance takes a silent job over.
            guard let claimed = try await awaitAtMost(.seconds(30), otherwise: .success(nil), { () -> Result<JobStore.Job?, any Error> in
                do { return .success(try await jobs.claim()) } catch { return .failure(error) }
            }).get() else { return false }
            job = claimed
        } catch {
            logger.warning("could not claim a job", metadata: ["error": "\(String(reflecting: error))"])
            return false
        }
        let metadata: Logger.Metadata = ["job": "\(job.id)", "kind": "\(job.kind)"]
        logger.info("job started", metadata: metadata)
        do {
            switch job.kind {
            case "seal_batch": try await sealBatches.run(job: job)
            case "trace_capture": try await traceCaptures.run(job: job)
            default: try await jobs.fail(id: job.id, message: "unknown kind of job")
            }
            logger.info("job finished", metadata: metadata)
        } catch SealBatchError.takenOver {
            logger.notice("job taken over by another instance; this attempt rolled back", metadata: metadata)
        } catch is CancellationError {
            // Shutting down: the job's transaction rolled back and its heartbeat
            // stops, so this or another instance takes it over after a minute.
            logger.notice("job interrupted by shutdown; it will be taken over", metadata: metadata)
        } catch {
            logger.error("job failed", metadata: metadata.merging(["error": "\(String(reflecting: error))"]) { $1 })
            try? await jobs.fail(id: job.id, message: "the job stopped with an error; nothing was kept")
        }
        return true
    }
}
