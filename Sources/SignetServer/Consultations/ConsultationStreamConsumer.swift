import Logging
import PostgresNIO
import ServiceLifecycle

/// Runs one named consumer of the consultation stream in this instance, on a
/// connection of its own (outside the pool, so it never takes a connection
/// from scans and never waits behind them): handles batches while they come
/// full, then looks again every `pollInterval`. Every instance may run it;
/// the stream hands each batch to exactly one of them. A lost connection or a
/// failing consumer is retried with a back-off up to 30 s. Its connection
/// is named `signet consumer NAME` (`application_name`), so
/// `pg_stat_activity` shows which backend is which consumer and what it costs.
struct ConsultationStreamConsumer: Service {
    let name: String
    let stream: ConsultationStream
    let connection: PostgresConnection.Configuration
    let pollInterval: Duration
    let batchSize: Int
    let logger: Logger
    let handle: @Sendable (PostgresConnection, [StreamedConsultation]) async throws -> Void

    private var namedConnection: PostgresConnection.Configuration {
        var named = connection
        named.options.additionalStartupParameters.append(("application_name", "signet consumer \(name)"))
        return named
    }

    /// A batch under way at shutdown is finished and committed with its
    /// position, so the next instance starts after it instead of redoing it.
    func run() async throws {
        await GracefulWork.run(grace: .seconds(10)) {
            var failures = 0
            while GracefulWork.goesOn {
                do {
                    let connection = try await PostgresConnection.connect(configuration: namedConnection, id: 2, logger: logger)
                    defer { Task { try? await connection.close() } }
                    while GracefulWork.goesOn {
                        let handled = try await stream.handleNextBatch(on: connection, consumer: name, limit: batchSize, handle)
                        failures = 0
                        if handled < batchSize { await GracefulWork.pause(pollInterval) }
                    }
                } catch where GracefulWork.goesOn {
                    failures += 1
                    logger.warning("consultation stream consumer failed; retrying", metadata: [
                        "consumer": "\(name)", "error": "\(String(reflecting: error))", "failures": "\(failures)",
                    ])
                    await GracefulWork.pause(min(pollInterval * (1 << min(failures, 7)), .seconds(30)))
                } catch {}
            }
        }
    }
}
