import Logging
import PostgresNIO
import ServiceLifecycle

/// Deletes what has expired: portal sessions past their absolute end and
/// API idempotency records older than 24 hours. Idempotent, so every
/// instance may run it.
package struct ExpiredRowsCleanup: Service {
    let database: PostgresClient
    let logger: Logger
    var interval: Duration = .seconds(600)

    package init(database: PostgresClient, logger: Logger, interval: Duration = .seconds(600)) {
        self.database = database
        self.logger = logger
        self.interval = interval
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await clean()
                try? await Task.sleep(for: interval)
            }
        }
    }

    package func clean() async {
        do {
            try await database.query("DELETE FROM sessions WHERE expires_at <= now()", logger: logger)
            try await database.query("DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'", logger: logger)
        } catch {
            logger.warning("could not delete expired rows", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
