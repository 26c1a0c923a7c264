import Logging
import PostgresNIO
import SignetServer

/// Runs `body` with a connected pool, shutting the pool down afterwards.
func withDatabase<T: Sendable>(
    _ configuration: SignetConfiguration, logger: Logger,
    _ body: @Sendable @escaping (PostgresClient) async throws -> T
) async throws -> T {
    // A one-shot command leases its first connection while the pool is still
    // starting; the pool's warning about that says nothing useful here.
    var poolLogger = logger
    poolLogger.logLevel = max(logger.logLevel, .error)
    return try await makeDatabaseClient(configuration: configuration, logger: poolLogger).whileRunning(body)
}
