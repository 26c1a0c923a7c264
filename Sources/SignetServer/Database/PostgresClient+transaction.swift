import Logging
import PostgresNIO

extension PostgresClient {
    /// `withTransaction` that throws what the work threw (an `AccountError`, a
    /// constraint violation) rather than the transaction wrapper around it.
    func transaction<Result>(
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        do {
            return try await withTransaction(logger: logger, isolation: isolation, body)
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }
}
