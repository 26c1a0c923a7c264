import Logging
import PostgresNIO
import ServiceLifecycle

/// Runs one named consumer of the consultation stream in this instance:
/// handles batches while there are any, then looks again every
/// `pollInterval`. Every instance may run it; the stream hands each batch to
/// exactly one of them.
struct ConsultationStreamConsumer: Service {
    let name: String
    let stream: ConsultationStream
    let pollInterval: Duration
    let batchSize: Int
    let logger: Logger
    let handle: @Sendable (PostgresConnection, [StreamedConsultation]) async throws -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var failures = 0
            while !Task.isCancelled {
                do {
                    let handled = try await stream.handleNextBatch(consumer: name, limit: batchSize, handle)
                    failures = 0
                    if handled == batchSize { continue }
                } catch where !Task.isCancelled {
                    failures += 1
                    logger.warning("consultation stream consumer failed; retrying", metadata: [
                        "consumer": "\(name)", "error": "\(String(reflecting: error))", "failures": "\(failures)",
                    ])
                } catch {}
                // After a failure, back off up to 30 s so a broken consumer does not spin.
                try? await Task.sleep(for: failures == 0 ? pollInterval : min(pollInterval * (1 << min(failures, 7)), .seconds(30)))
            }
        }
    }
}
