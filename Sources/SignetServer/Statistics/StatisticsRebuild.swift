import Foundation
import Logging
import PostgresNIO

/// Recomputes a brand's rollups from its consultations, which stay the
/// source of truth (`signet stats rebuild`).
///
/// The rebuild holds the `statistics` consumer's position row for its whole
/// transaction, so the live consumer waits, and it counts exactly the
/// consultations the consumer has already handled (up to its position);
/// later ones are added by the consumer once the rebuild commits. Live
/// rollups and a rebuild therefore agree row for row. A long rebuild is a
/// long write transaction: it holds back every consumer of the stream
/// (the stream's horizon is cluster-wide) until it commits.
public struct StatisticsRebuild: Sendable {
    let database: PostgresClient
    let logger: Logger

    public init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Rebuilds the brand's rollups, hourly and daily, from the UTC day holding `from` (all history when nil).
    /// - Returns: how many hourly rollup rows were written.
    /// - Throws: `AccountError.unknownBrand` for a slug no brand has.
    public func rebuild(brandSlug: String, from: Date?) async throws -> Int {
        try await database.transaction(logger: logger) { connection in
            let brands = try await connection.query(
                "SELECT id FROM brands WHERE slug = \(brandSlug)", logger: logger).collect()
            guard let brandID = try brands.first?.decode(Int64.self) else { throw AccountError.unknownBrand(brandSlug) }
            let positions = try await connection.query("""
                SELECT xact::text, id FROM consultation_stream_positions WHERE consumer = \(StatisticsRecorder.consumer)
                FOR UPDATE
                """, logger: logger).collect()
            guard let position = positions.first else { return 0 }
            let (xact, id) = try position.decode((String, Int64).self)
            let rows = try await connection.query("""
                SELECT signet_stats_rebuild(\(brandID), coalesce(\(from)::timestamptz, '-infinity'), \(xact)::xid8, \(id))
                """, logger: logger).collect()
            return Int(try rows.first?.decode(Int64.self) ?? 0)
        }
    }
}
