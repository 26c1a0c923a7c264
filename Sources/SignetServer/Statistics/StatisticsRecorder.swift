import Foundation
import Logging
import PostgresNIO

/// The `statistics` consumer of the consultation stream: adds each batch to
/// the hourly rollups (`stats_hourly`), the daily ones (`stats_daily`) and,
/// for consultations of hours already derived (a stream running late), the
/// derived ones (`stats_pairs`), with one statement, in the batch's
/// transaction, so the rollups and the stream position move together and
/// every consultation is counted exactly once. The rows and their sketches
/// are built in the server (`StatisticsRollupBatch`); PostgreSQL upserts them.
struct StatisticsRecorder: Sendable {
    static let consumer = "statistics"

    let logger: Logger

    func record(_ batch: [StreamedConsultation], on connection: PostgresConnection) async throws {
        let brands = Array(Set(batch.compactMap(\.brandID)))
        guard !brands.isEmpty else { return }
        var pairsDerivedUntil: [Int64: Date] = [:]
        let progress = try await connection.queryWhileOpen("""
            SELECT brand_id, max(derived_until) FROM stats_pair_progress WHERE brand_id = ANY (\(brands)) GROUP BY brand_id
            """, logger: logger)
        for try await (brand, derivedUntil) in progress.decode((Int64, Date).self) { pairsDerivedUntil[brand] = derivedUntil }
        let rollups = StatisticsRollupBatch(batch, pairsDerivedUntil: pairsDerivedUntil)
        guard !rollups.isEmpty else { return }
        let hourly = Array(rollups.hourly)
        let daily = Array(rollups.daily)
        let pairs = Array(rollups.latePairs)
        try await connection.queryWhileOpen("""
            WITH pairs AS (
                INSERT INTO stats_pairs AS s (brand_id, zone, dimensions, period, first, second, start, consultations, seals)
                SELECT l.brand_id, g.zone, l.dimensions, v.period, l.first, l.second, v.start, sum(l.consultations), bit_or(l.seals)
                FROM unnest(\(pairs.map(\.key.brandID))::bigint[], \(pairs.map(\.key.dimensions))::text[],
                            \(pairs.map(\.key.first))::text[], \(pairs.map(\.key.second))::text[],
                            \(pairs.map(\.key.hour))::timestamptz[], \(pairs.map(\.value.consultations))::bigint[],
                            \(pairs.map { SketchBits(sketch: $0.value.seals) })::bit(16384)[])
                     AS l (brand_id, dimensions, first, second, hour, consultations, seals)
                JOIN stats_pair_progress g ON g.brand_id = l.brand_id AND l.hour < g.derived_until
                CROSS JOIN LATERAL (VALUES ('hour', l.hour), ('day', date_trunc('day', l.hour, g.zone)),
                                           ('week', date_trunc('week', l.hour, g.zone)),
                                           ('month', date_trunc('month', l.hour, g.zone))) AS v (period, start)
                WHERE CASE WHEN v.period = 'hour' THEN g.zone = 'UTC' AND strpos(l.dimensions, ',') = 0
                           ELSE (g.zone <> 'UTC' OR strpos(l.dimensions, ',') > 0)
                                AND (v.period = 'day' OR signet_period_end(v.period, v.start, g.zone) <= g.derived_until) END
                GROUP BY 1, 2, 3, 4, 5, 6, 7
                ON CONFLICT (brand_id, zone, dimensions, period, start, first, second) DO UPDATE
                SET consultations = s.consultations + excluded.consultations,
                    seals = s.seals | excluded.seals
            ), hourly AS (
                INSERT INTO stats_hourly AS s (brand_id, hour, product_id, country, language, verdict, consultations, seals, visitors)
                SELECT * FROM unnest(\(hourly.map(\.key.brandID))::bigint[], \(hourly.map(\.key.hour))::timestamptz[],
                                     \(hourly.map(\.key.productID))::bigint[], \(hourly.map(\.key.country))::text[],
                                     \(hourly.map(\.key.language))::text[], \(hourly.map(\.key.verdict))::text[],
                                     \(hourly.map(\.value.consultations))::bigint[],
                                     \(hourly.map { SketchBits(sketch: $0.value.seals) })::bit(16384)[],
                                     \(hourly.map { SketchBits(sketch: $0.value.visitors) })::bit(16384)[])
                ON CONFLICT (brand_id, hour, product_id, country, language, verdict) DO UPDATE
                SET consultations = s.consultations + excluded.consultations,
                    seals = s.seals | excluded.seals,
                    visitors = s.visitors | excluded.visitors
            )
            INSERT INTO stats_daily AS s (brand_id, dimension, value, day, consultations, seals, visitors)
            SELECT * FROM unnest(\(daily.map(\.key.brandID))::bigint[], \(daily.map(\.key.dimension))::text[],
                                 \(daily.map(\.key.value))::text[], \(daily.map(\.key.day))::timestamptz[],
                                 \(daily.map(\.value.consultations))::bigint[],
                                 \(daily.map { SketchBits(sketch: $0.value.seals) })::bit(16384)[],
                                 \(daily.map { SketchBits(sketch: $0.value.visitors) })::bit(16384)[])
            ON CONFLICT (brand_id, dimension, value, day) DO UPDATE
            SET consultations = s.consultations + excluded.consultations,
                seals = s.seals | excluded.seals,
                visitors = s.visitors | excluded.visitors
            """, logger: logger)
    }
}
