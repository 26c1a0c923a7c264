import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Derives the pair rollups (`stats_pairs`, migrations 0036 and 0037) of
/// each brand's closed hours from its hourly rows into their days' rows,
/// with the weeks and months that close with them, in UTC and in the zone
/// the brand reports in, and moves the brand's progress in that zone past
/// them. An hour closes two minutes after its end; a consultation the stream
/// brings later is added to the pair rows by the consumer itself
/// (`StatisticsRecorder`).
///
/// A past day at a time (a history after an upgrade), the hours of the day
/// under way as they close, each step in a transaction of its own that holds
/// the `statistics` consumer's position row so that no batch adds to the
/// hourly rows meanwhile: the consumer skips its polls for that time (well
/// under a second for a day of 30,000 scans). Every instance runs it; the
/// position row's lock makes them take turns, and what one derived is not
/// derived again by another.
struct StatisticsPairDerivation: Service {
    let database: PostgresClient
    let logger: Logger
    var interval: Duration = .seconds(60)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    // Every tick derives the hour that closed: only catching up is worth a line at info.
                    let days = try await deriveClosedHours()
                    if days > 1 { logger.info("pair rollups derived", metadata: ["days": "\(days)"]) }
                } catch {
                    logger.warning("could not derive the pair rollups", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Derives, for every brand and each of its zones, each hour not derived yet that ends by `until`.
    /// - Parameter until: the start of a UTC hour; by default the end of the last closed hour.
    /// - Returns: how many days with scans were derived, in whole or in part, brand by brand and zone by zone.
    @discardableResult
    func deriveClosedHours(until: Date? = nil) async throws -> Int {
        let zones = try await database.query("""
            SELECT b.id, z.zone FROM brands b CROSS JOIN LATERAL signet_stats_zones(b.id) AS z (zone) ORDER BY 1, 2
            """, logger: logger).collect().map { try $0.decode((Int64, String).self) }
        var derived = 0
        for (brand, zone) in zones {
            while !Task.isCancelled, try await deriveNext(brandID: brand, zone: zone, until: until) { derived += 1 }
        }
        return derived
    }

    /// Derives the brand's hours up to the end of its next day with scans, or
    /// to `until` if sooner (or just moves its progress to `until` when no
    /// scans come before it).
    /// - Returns: true when scans were derived, and more may follow.
    private func deriveNext(brandID: Int64, zone: String, until: Date?) async throws -> Bool {
        try await database.transaction(logger: logger) { connection in
            // A busy brand's day (after an upgrade) can take longer than a serving statement may.
            try await connection.query("SET LOCAL statement_timeout = '10min'", logger: logger)
            let position = try await connection.query("""
                SELECT 1 FROM consultation_stream_positions WHERE consumer = \(StatisticsRecorder.consumer) FOR UPDATE
                """, logger: logger).collect()
            guard !position.isEmpty else { return false }
            let rows = try await connection.query("""
                SELECT signet_stats_derive_next(
                    \(brandID), \(zone), coalesce(\(until)::timestamptz, date_trunc('hour', now() - interval '2 minutes', 'UTC')))
                """, logger: logger).collect()
            return try rows.first?.decode(Bool.self) ?? false
        }
    }
}
