import Logging
import PostgresNIO
import SignetServer

/// Runs `body` with a running client to `url`, shutting it down afterwards.
func withPostgresClient<T: Sendable>(
    _ url: String, _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    var configuration = try DatabaseURL.configuration(from: url)
    configuration.options.maximumConnections = 3
    // Many tests share one PostgreSQL: give up on a refused connection quickly and retry.
    configuration.options.connectTimeout = .seconds(5)
    var logger = Logger(label: "test-db")
    logger.logLevel = .error
    return try await PostgresClient(configuration: configuration, backgroundLogger: logger).whileRunning(body)
}

extension PostgresClient {
    /// First column of the first row, decoded.
    func scalar<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T? {
        let rows = try await self.query(query, logger: Logger(label: "test-db")).collect()
        return try rows.first?.decode(T.self)
    }

    func run(_ query: PostgresQuery) async throws {
        _ = try await self.query(query, logger: Logger(label: "test-db")).collect()
    }
}
