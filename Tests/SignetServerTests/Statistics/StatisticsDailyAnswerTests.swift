import Foundation
import Logging
import PostgresNIO
import SignetCore
@testable import SignetServer
import Testing

/// The daily rollups answer the questions they can exactly as the hourly
/// rollups do: same buckets, groups, sums and sketches (so the same estimates).
@Suite("Statistics from the daily rollups")
struct StatisticsDailyAnswerTests {
    static let logger = Logger(label: "stats-test")

    @Test("every question the daily rollups take gets the hourly rollups' answer, for the whole brand and for a reader of some products")
    func sameAnswers() async throws {
        try await withTestDatabase { database in
            let alpha = try await StatisticsFixture.brand(database, slug: "alpha", products: 4)
            let beta = try await StatisticsFixture.brand(database, slug: "beta")
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let end = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: Date()))!
            let scans = StatisticsFixture.randomScans([alpha, beta], count: 2_000, days: 70, end: end, seed: 11)
            try await withTestApp(database) { _ in
                try await database.withClient { client in try await StatisticsFixture.write(scans, to: client) }
                #expect(try await StatisticsFixture.waitForRollups(database, total: 2_000) == 2_000)
            }
            try await database.withClient { client in
                let store = StatisticsStore(database: client, logger: Self.logger)
                let start = end.addingTimeInterval(-63 * 86_400)
                func question(_ interval: StatisticsQuery.Interval, _ groupBy: [StatisticsQuery.Dimension] = [],
                              _ filters: [StatisticsQuery.Dimension: [String]] = [:]) -> StatisticsQuery {
                    StatisticsQuery(from: start, to: end, interval: interval, groupBy: groupBy, filters: filters)
                }
                // Cut inside its first and last days: the hours before and after its whole days are hourly rows.
                func cut(_ interval: StatisticsQuery.Interval, _ groupBy: [StatisticsQuery.Dimension] = [],
                         from: TimeInterval = 5.5 * 3_600, to: TimeInterval = -31 * 3_600) -> StatisticsQuery {
                    StatisticsQuery(from: start.addingTimeInterval(from), to: end.addingTimeInterval(to), interval: interval, groupBy: groupBy)
                }
                let questions = [
                    question(.day), question(.week), question(.month),
                    question(.day, [.country]), question(.week, [.verdict]), question(.month, [.language]),
                    question(.week, [.product]), question(.month, [.productType]), question(.day, [.productType, .product]),
                    question(.day, [], [.country: ["FR", "unknown"]]), question(.week, [.verdict], [.verdict: ["counterfeit", "suspicious"]]),
                    question(.month, [], [.productType: ["care"]]), question(.week, [.product], [.product: [alpha.gtins[1]]]),
                    cut(.day), cut(.week, [.country]), cut(.month, [.product]),
                    cut(.day, [.verdict], from: 2 * 3_600, to: -62 * 86_400 - 4 * 3_600),
                ]
                let readers: [[Int64]?] = [nil, Array(alpha.productIDs.prefix(2))]
                var compared = 0, answered = 0
                for asked in questions {
                    for products in readers {
                        guard case .daily = asked.rollup(productsRestricted: products != nil) else { continue }
                        for bucketed in [true, false] {
                            let daily = try await store.series(brandID: alpha.id, asked, productIDs: products, bucketed: bucketed)
                            let hourly = try await store.series(
                                brandID: alpha.id, asked, productIDs: products, bucketed: bucketed, rollup: .hourly)
                            if !hourly.isEmpty { answered += 1 }
                            #expect(daily == hourly, "\(asked) for products \(products.map { "\($0)" } ?? "all")")
                            compared += 1
                        }
                    }
                }
                #expect(compared == 54)
                // A reader of two food products asking for care products gets nothing, from either.
                #expect(answered == 52)
                // The other brand's scans are in neither.
                let total = try await store.series(brandID: alpha.id, question(.month), productIDs: nil, bucketed: false)
                let alphaScans = scans.filter { $0.brandID == alpha.id && $0.scannedAt >= start }.count
                #expect(total.map(\.consultations) == [alphaScans])
            }
        }
    }
}
