import PostgresNIO

extension PostgresClient {
    /// Runs the pool for as long as `body` runs: for one-shot commands and
    /// tests, where the pool is not a service of an application.
    public func whileRunning<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.run() }
            defer { group.cancelAll() }
            return try await body(self)
        }
    }
}
