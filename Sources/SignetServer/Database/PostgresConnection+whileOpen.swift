import Logging
import PostgresNIO

extension PostgresConnection {
    /// A query on a connection of our own (not the pool's) that fails at once
    /// when the connection is already closed. postgres-nio 1.33 writes a query
    /// to a closed channel without a promise, so it is neither answered nor
    /// failed: a consumer whose connection the server ended (a restart,
    /// `pg_terminate_backend`) would wait forever and hold up shutdown.
    @discardableResult
    func queryWhileOpen(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        guard !isClosed else { throw ConnectionClosedError() }
        return try await self.query(query, logger: logger)
    }
}

/// The connection was closed before the query could be sent.
struct ConnectionClosedError: Error, CustomStringConvertible {
    var description: String { "the database connection is closed" }
}
