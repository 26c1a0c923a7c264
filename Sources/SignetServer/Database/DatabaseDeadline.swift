import PostgresNIO

/// Bounds how long a request waits for the database. When PostgreSQL is down
/// the pool keeps retrying connections; a visitor should get a "try again"
/// page within seconds instead.
func withDatabaseDeadline<T: Sendable>(
    _ limit: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw PublicError.unavailable }
        return value
    }
}

/// Errors that mean "the database cannot be reached right now" rather than a bug.
func isDatabaseUnavailable(_ error: any Error) -> Bool {
    if let error = error as? PSQLError {
        guard error.code == .server else { return true }
        // Server errors that mean "not now": connection exceptions (08), insufficient
        // resources such as too many connections (53), shutdown or start-up (57P), and
        // a statement cancelled by statement_timeout (57014).
        let state = error.serverInfo?[.sqlState] ?? ""
        return state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57P") || state == "57014"
    }
    // The pool's own error type lives in an underscored module; match it by name
    // rather than depend on that module.
    return String(describing: type(of: error)) == "ConnectionPoolError"
}
