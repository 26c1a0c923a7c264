import Foundation
import Logging
import PostgresNIO

/// The `statistics` consumer of the consultation stream: adds each batch to
/// the hourly rollups (`stats_hourly`) and the daily ones (`stats_daily`)
/// with one statement, in the batch's transaction, so the rollups and the
/// stream position move together and every consultation is counted exactly
/// once. The rows and their sketches are built in the server
/// (`StatisticsRollupBatch`); PostgreSQL upserts them.
struct StatisticsRecorder: Sendable {
    static let consumer = "statistics"

    let logger: Logger

    func record(_ batch: [StreamedConsultation], on connection: PostgresConnection) async throws {
        let rollups = StatisticsRollupBatch(batch)
        guard !rollups.isEmpty else { return }
        let hourly = Array(rollups.hourly)
        let daily = Array(rollups.daily)
        try await connection.queryWhileOpen("""
            WITH hourly AS (
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
