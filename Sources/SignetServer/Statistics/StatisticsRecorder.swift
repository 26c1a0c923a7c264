import Foundation
import Logging
import PostgresNIO

/// The `statistics` consumer of the consultation stream: adds each batch to
/// the hourly rollups (`stats_hourly`) and the daily ones (`stats_daily`)
/// with one statement, in the batch's transaction, so the rollups and the
/// stream position move together and every consultation is counted exactly
/// once. The mapping of a consultation to its rollup rows lives in SQL
/// (`stats_source` and `signet_stats_add`, migrations 0021 and 0033), shared
/// with rebuilds.
struct StatisticsRecorder: Sendable {
    static let consumer = "statistics"

    let logger: Logger

    func record(_ batch: [StreamedConsultation], on connection: PostgresConnection) async throws {
        let branded = batch.filter { $0.brandID != nil && $0.productID != nil }
        // Partition pruning: nothing older than the batch's earliest scan is read.
        guard let since = branded.map(\.scannedAt).min() else { return }
        try await connection.queryWhileOpen(
            "SELECT signet_stats_add(\(branded.map(\.id)), \(since))", logger: logger)
    }
}
