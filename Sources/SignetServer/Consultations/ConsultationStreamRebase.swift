import Logging
import PostgresNIO

/// The consultation stream orders rows by the PostgreSQL transaction that
/// wrote them (`xid8`), and those ids belong to one cluster. A database
/// restored from `pg_dump` into another cluster keeps the old cluster's ids
/// in its rows and positions while its own count starts again near zero:
/// every new consultation sorts below the readers' positions, and alerts,
/// statistics, webhooks and alert e-mails stop without a word. (A physical
/// restore, base backup and WAL, keeps the ids and needs none of this.)
///
/// `check` refuses to serve such a database; `rebase` puts it back on its
/// cluster's ids once, in one transaction: rows whose id the new cluster's
/// ids would overtake leave the stream (`consultations.xact` NULL, as rows
/// older than the stream; `alerts.xact` 0, as alerts older than the feed),
/// and every reader starts at the current transaction. Consultations the
/// readers had not reached when the dump was taken are not read again;
/// `signet stats rebuild` recounts them for statistics.
public struct ConsultationStreamRebase: Sendable {
    let database: PostgresClient
    let logger: Logger

    public init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public enum Problem: Error, CustomStringConvertible {
        case positionsFromAnotherCluster(String)

        public var description: String {
            switch self {
            case .positionsFromAnotherCluster(let consumers):
                "the consultation stream's positions (\(consumers)) are ahead of this PostgreSQL cluster's transaction ids: "
                    + "the database was restored from a dump into another cluster. Run `signet stream rebase` once, then start again "
                    + "(see OPERATIONS \"Backup and restore\")"
            }
        }
    }

    /// Throws when a reader's position lies beyond this cluster's transaction ids.
    public func check() async throws {
        let rows = try await database.query("""
            SELECT coalesce(string_agg(consumer, ', ' ORDER BY consumer), '') FROM consultation_stream_positions
            WHERE xact >= pg_snapshot_xmax(pg_current_snapshot())
            """, logger: logger).collect()
        let ahead = try rows.first?.decode(String.self) ?? ""
        if !ahead.isEmpty { throw Problem.positionsFromAnotherCluster(ahead) }
    }

    /// Moves the stream onto this cluster's ids; returns the consultations taken out of the stream.
    @discardableResult
    public func rebase() async throws -> Int {
        try await database.transaction(logger: logger) { connection in
            // The readers wait: their positions are locked until this commits.
            try await connection.query("LOCK TABLE consultation_stream_positions IN EXCLUSIVE MODE", logger: logger)
            let now = try await connection.query("SELECT pg_current_xact_id()::text", logger: logger).collect()[0].decode(String.self)
            let taken = try await connection.query("""
                WITH moved AS (UPDATE consultations SET xact = NULL WHERE xact >= \(now)::xid8 RETURNING 1)
                SELECT count(*)::bigint FROM moved
                """, logger: logger).collect()[0].decode(Int64.self)
            try await connection.query("UPDATE alerts SET xact = '0' WHERE xact >= \(now)::xid8", logger: logger)
            try await connection.query("""
                UPDATE consultation_stream_positions SET xact = \(now)::xid8, id = 0, updated_at = now()
                """, logger: logger)
            return Int(taken)
        }
    }
}
