import PostgresNIO

/// Bounds how long a request waits for the database: `operation`'s answer,
/// or `PublicError.unavailable` once `limit` has passed. When PostgreSQL is
/// down the pool keeps retrying connections, and when it stalls a statement
/// already sent does not end when cancelled; a visitor gets a "try again"
/// page within the limit all the same, and the operation is cancelled and
/// left to end on its own (see `awaitAtMost`). A statement that writes must
/// then make sure it writes nothing once the visitor was told to try again
/// (the scan statement's `signet_in_time`).
func withDatabaseDeadline<T: Sendable>(
    _ limit: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let outcome = await awaitAtMost(limit, otherwise: Result<T, any Error>.failure(PublicError.unavailable)) {
        do {
            return .success(try await operation())
        } catch {
            return .failure(error)
        }
    }
    return try outcome.get()
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
