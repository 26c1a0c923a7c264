import Foundation
import Logging
import PostgresNIO
import SignetCore
@testable import SignetServer
import Testing

/// The pair rollups: derived from the hourly rows for closed hours (into
/// their days), weeks and months, in UTC and in the brand's zone, kept
/// current by the consumer for consultations that arrive after their hour was
/// derived, and read with the hourly rows after the derived hours, so that
/// they answer every question they are chosen for exactly as the hourly rows do.
@Suite("Statistics from the pair rollups")
struct StatisticsPairTests {
    static let logger = Logger(label: "stats-test")

    static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    /// Every pair row, with a digest of its sketch.
    static func pairSnapshot(_ client: PostgresClient) async throws -> [String] {
        try await client.query("""
            SELECT concat_ws('|', brand_id, zone, dimensions, period, first, second, start, consultations, md5(seals::text))
            FROM stats_pairs ORDER BY 1
            """, logger: logger).collect().map { try $0.decode(String.self) }
    }

    /// What the derived rows must be: the hourly rows before the brand's progress in each zone merged by pair of
    /// dimensions (and, in zones other than UTC, by dimension and in all) and by the zone's day, and by each of
    /// its weeks and months that ends by the progress; and in UTC, by dimension and in all, by hour.
    static func pairsFromHourly(_ client: PostgresClient) async throws -> [String] {
        try await client.query("""
            SELECT concat_ws('|', h.brand_id, g.zone, p.dimensions, v.period, p.first, p.second, v.start, sum(h.consultations),
                             md5(bit_or(h.seals)::text))
            FROM stats_hourly h
            JOIN stats_pair_progress g ON g.brand_id = h.brand_id
            CROSS JOIN LATERAL (VALUES ('country,language', h.country, h.language), ('country,product', h.country, h.product_id::text),
                                       ('country,verdict', h.country, h.verdict), ('language,product', h.language, h.product_id::text),
                                       ('language,verdict', h.language, h.verdict), ('product,verdict', h.product_id::text, h.verdict),
                                       ('all', '', ''), ('country', h.country, ''), ('language', h.language, ''),
                                       ('product', h.product_id::text, ''), ('verdict', h.verdict, ''))
                 AS p (dimensions, first, second)
            CROSS JOIN LATERAL (VALUES ('hour', h.hour), ('day', date_trunc('day', h.hour, g.zone)),
                                       ('week', date_trunc('week', h.hour, g.zone)), ('month', date_trunc('month', h.hour, g.zone)))
                 AS v (period, start)
            WHERE h.hour < g.derived_until
              AND CASE WHEN v.period = 'hour' THEN g.zone = 'UTC' AND p.dimensions NOT LIKE '%,%'
                       ELSE (g.zone <> 'UTC' OR p.dimensions LIKE '%,%')
                            AND (v.period = 'day' OR signet_period_end(v.period, v.start, g.zone) <= g.derived_until) END
            GROUP BY h.brand_id, g.zone, p.dimensions, v.period, p.first, p.second, v.start
            ORDER BY 1
            """, logger: logger).collect().map { try $0.decode(String.self) }
    }

    static func periodCounts(_ client: PostgresClient) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let rows = try await client.query("SELECT period, count(*)::bigint FROM stats_pairs GROUP BY period", logger: logger)
        for try await (period, count) in rows.decode((String, Int64).self) { counts[period] = Int(count) }
        return counts
    }

    static func reportIn(_ zone: String, brandID: Int64, _ database: TestDatabase) async throws {
        try await database.withClient { client in
            try await client.run("UPDATE brands SET statistics_time_zone = \(zone) WHERE id = \(brandID)")
        }
    }

    static func forgetPairs(_ client: PostgresClient) async throws {
        try await client.run("DELETE FROM stats_pairs")
        try await client.run("DELETE FROM stats_pair_progress")
    }

    @Test("derived a day at a time, with the weeks and months that close, in UTC and the brand's zone (not at half past), the derived rows are the hourly rows merged; a rebuild gives them again")
    func derivation() async throws {
        try await withTestDatabase { database in
            let brands = [
                try await StatisticsFixture.brand(database, slug: "alpha"),
                try await StatisticsFixture.brand(database, slug: "beta", products: 2),
                try await StatisticsFixture.brand(database, slug: "gamma"),
            ]
            try await Self.reportIn("America/New_York", brandID: brands[0].id, database)
            try await Self.reportIn("Europe/Paris", brandID: brands[1].id, database)
            // India's days start at half past a UTC hour: nothing reads rows derived in its zone, so none are.
            try await Self.reportIn("Asia/Kolkata", brandID: brands[2].id, database)
            let today = Self.utc.startOfDay(for: Date())
            let scans = StatisticsFixture.randomScans(brands, count: 1_500, days: 75, end: today, seed: 36)
            try await withTestApp(database) { _ in
                try await database.withClient { client in try await StatisticsFixture.write(scans, to: client) }
                #expect(try await StatisticsFixture.waitForRollups(database, total: 1_500) == 1_500)
            }
            try await database.withClient { client in
                try await Self.forgetPairs(client)
                let derivation = StatisticsPairDerivation(database: client, logger: Self.logger)
                let days = Set(scans.map { Self.utc.startOfDay(for: $0.scannedAt) })
                // Every day with scans, brand by brand and zone by zone; the brands share most days.
                let derived = try await derivation.deriveClosedHours(until: today)
                #expect(derived >= days.count && derived <= 5 * (days.count + 1))
                #expect(try await derivation.deriveClosedHours(until: today) == 0)
                let progress = try await client.query("""
                    SELECT zone, derived_until FROM stats_pair_progress ORDER BY brand_id, zone
                    """, logger: Self.logger).collect().map { try $0.decode((String, Date).self) }
                #expect(progress.map(\.0) == ["America/New_York", "UTC", "Europe/Paris", "UTC", "UTC"])
                #expect(progress.allSatisfy { $0.1 == today })
                let periods = try await Self.periodCounts(client)
                #expect(periods["day", default: 0] > 1_000)
                #expect(periods["week", default: 0] > 200)
                #expect(periods["month", default: 0] > 50)
                let pairs = try await Self.pairSnapshot(client)
                #expect(pairs == (try await Self.pairsFromHourly(client)))

                // A rebuild from a date derives the same rows again, and one of everything too. A rebuild derives up
                // to the hour under way, which may close a New York week or month that ends after today's UTC
                // midnight (5 am UTC): every row derived up to today is still there, and all are the hourly rows merged.
                let rebuild = StatisticsRebuild(database: client, logger: Self.logger)
                _ = try await rebuild.rebuild(brandSlug: "alpha", from: today.addingTimeInterval(-20 * 86_400))
                _ = try await rebuild.rebuild(brandSlug: "beta", from: today.addingTimeInterval(-35 * 86_400))
                let rebuilt = try await Self.pairSnapshot(client)
                #expect(rebuilt == (try await Self.pairsFromHourly(client)))
                #expect(Set(pairs).isSubset(of: Set(rebuilt)))
                try await Self.forgetPairs(client)
                _ = try await rebuild.rebuild(brandSlug: "alpha", from: nil)
                _ = try await rebuild.rebuild(brandSlug: "beta", from: nil)
                _ = try await rebuild.rebuild(brandSlug: "gamma", from: nil)
                #expect(try await Self.pairSnapshot(client) == (try await Self.pairsFromHourly(client)))
                #expect(Set(pairs).isSubset(of: Set(try await Self.pairSnapshot(client))))
            }
        }
    }

    @Test("consultations counted after their hour, week or month was derived reach its pair rows through the consumer")
    func lateConsultations() async throws {
        try await withTestDatabase { database in
            let brand = try await StatisticsFixture.brand(database, slug: "alpha")
            try await Self.reportIn("Europe/Paris", brandID: brand.id, database)
            let today = Self.utc.startOfDay(for: Date())
            let early = StatisticsFixture.randomScans([brand], count: 400, days: 60, end: today, seed: 1)
            let late = StatisticsFixture.randomScans([brand], count: 400, days: 60, end: today, seed: 2)
            try await withTestApp(database) { _ in
                try await database.withClient { client in
                    try await StatisticsFixture.write(early, to: client)
                    #expect(try await StatisticsFixture.waitForRollups(database, total: 400) == 400)
                    try await StatisticsPairDerivation(database: client, logger: Self.logger).deriveClosedHours(until: today)
                    let before = try await Self.pairSnapshot(client)
                    try await StatisticsFixture.write(late, to: client)
                    #expect(try await StatisticsFixture.waitForRollups(database, total: 800) == 800)
                    let after = try await Self.pairSnapshot(client)
                    #expect(after != before)
                    #expect(after == (try await Self.pairsFromHourly(client)))
                    let monthly = try await client.scalar(
                        "SELECT sum(consultations)::bigint FROM stats_pairs WHERE zone = 'UTC' AND period = 'month' AND dimensions = 'country,verdict'",
                        as: Int64.self)
                    let inClosedMonths = (early + late).filter { $0.scannedAt < Self.utc.dateInterval(of: .month, for: today)!.start }.count
                    #expect(monthly.map(Int.init) == inClosedMonths)
                }
            }
        }
    }

    @Test("every question the derived rows take (two dimensions; fewer in the brand's zone, or with hours outside whole days) gets the hourly rollups' answer, before, during and after derivation and with late consultations")
    func sameAnswers() async throws {
        try await withTestDatabase { database in
            let alpha = try await StatisticsFixture.brand(database, slug: "alpha", products: 4)
            let beta = try await StatisticsFixture.brand(database, slug: "beta")
            try await Self.reportIn("Europe/Paris", brandID: alpha.id, database)
            let end = Self.utc.date(byAdding: .day, value: 1, to: Self.utc.startOfDay(for: Date()))!
            let scans = StatisticsFixture.randomScans([alpha, beta], count: 2_000, days: 100, end: end, seed: 12)
            let late = StatisticsFixture.randomScans([alpha, beta], count: 300, days: 100, end: end, seed: 13)
            try await withTestApp(database) { _ in
                try await database.withClient { client in
                    try await StatisticsFixture.write(scans, to: client)
                    #expect(try await StatisticsFixture.waitForRollups(database, total: 2_000) == 2_000)
                    let store = StatisticsStore(database: client, logger: Self.logger)
                    let derivation = StatisticsPairDerivation(database: client, logger: Self.logger)

                    // Starting on a Wednesday inside a month, so that the first week and month are cut.
                    var start = end.addingTimeInterval(-90 * 86_400)
                    while Self.utc.component(.weekday, from: start) != 4 || Self.utc.component(.day, from: start) < 3 {
                        start.addTimeInterval(86_400)
                    }
                    func question(_ interval: StatisticsQuery.Interval, _ groupBy: [StatisticsQuery.Dimension] = [],
                                  _ filters: [StatisticsQuery.Dimension: [String]] = [:]) -> StatisticsQuery {
                        StatisticsQuery(from: start, to: end, interval: interval, groupBy: groupBy, filters: filters)
                    }
                    // Paris days from the same Wednesday, across the end of summer time in October.
                    let paris = StatisticsTimeZoneTests.paris
                    func inParis(_ interval: StatisticsQuery.Interval, _ groupBy: [StatisticsQuery.Dimension] = [],
                                 _ filters: [StatisticsQuery.Dimension: [String]] = [:]) -> StatisticsQuery {
                        let from = paris.date(from: Self.utc.dateComponents([.year, .month, .day], from: start))!
                        let to = paris.date(from: Self.utc.dateComponents([.year, .month, .day], from: end))!
                        return StatisticsQuery(from: from, to: to, interval: interval, groupBy: groupBy, filters: filters,
                                               timeZone: "Europe/Paris")
                    }
                    let questions = [
                        question(.day, [.country, .verdict]), question(.week, [.product, .verdict]),
                        question(.month, [.productType, .language]), question(.month, [.country, .product]),
                        question(.day, [], [.country: ["FR"], .verdict: ["counterfeit"]]),
                        question(.week, [.language], [.country: ["FR", "DE"]]),
                        question(.month, [.verdict], [.productType: ["care"]]),
                        question(.week, [.country], [.product: [alpha.gtins[1], alpha.gtins[2]]]),
                        question(.month, [.language, .verdict], [.verdict: ["genuine_first", "suspicious"]]),
                        question(.week, [.country]), question(.month, [.productType]),
                        inParis(.day), inParis(.week, [.country]), inParis(.month, [.productType]),
                        inParis(.day, [.language], [.verdict: ["counterfeit", "suspicious"]]), inParis(.week, [.country, .verdict]),
                        inParis(.month, [], [.country: ["FR"]]),
                        // Cut inside days: the hours before and after the whole days are hourly rows.
                        StatisticsQuery(from: start.addingTimeInterval(7.5 * 3_600), to: end.addingTimeInterval(-20 * 3_600),
                                        interval: .week, groupBy: [.country, .verdict]),
                        StatisticsQuery(from: start, to: end, interval: .month, groupBy: [.language], timeZone: "Europe/Paris"),
                        // Of one dimension or none, the hours outside whole days, or every hour, are rows by hour.
                        StatisticsQuery(from: start.addingTimeInterval(7.5 * 3_600), to: end.addingTimeInterval(-20 * 3_600),
                                        interval: .hour, groupBy: [.country]),
                        StatisticsQuery(from: start.addingTimeInterval(7.5 * 3_600), to: end.addingTimeInterval(-20 * 3_600),
                                        interval: .day, groupBy: [.verdict]),
                        StatisticsQuery(from: inParis(.week).from.addingTimeInterval(5 * 3_600), to: inParis(.week).to.addingTimeInterval(-3 * 3_600),
                                        interval: .week, groupBy: [.country], timeZone: "Europe/Paris"),
                        StatisticsQuery(from: start.addingTimeInterval(7.5 * 3_600), to: start.addingTimeInterval(20 * 86_400), interval: .hour,
                                        filters: [.verdict: ["counterfeit"]], timeZone: "Europe/Paris"),
                        // A zone nothing is derived in (New York), and one at half past (India): rows by hour.
                        StatisticsQuery(from: start.addingTimeInterval(5 * 3_600), to: end.addingTimeInterval(-19 * 3_600), interval: .month,
                                        groupBy: [.language], timeZone: "America/New_York"),
                        StatisticsQuery(from: start.addingTimeInterval(-5.5 * 3_600), to: end.addingTimeInterval(-5.5 * 3_600), interval: .week,
                                        groupBy: [.verdict], timeZone: "Asia/Kolkata"),
                    ]
                    let readers: [[Int64]?] = [nil, Array(alpha.productIDs.prefix(2))]
                    func compare(_ state: String) async throws -> (compared: Int, answered: Int) {
                        var compared = 0, answered = 0
                        for asked in questions {
                            for products in readers {
                                switch asked.rollup(productsRestricted: products != nil) {
                                case .pairs, .single, .daily, .byHour: break
                                case .hourly: continue
                                }
                                for bucketed in [true, false] {
                                    let pairs = try await store.series(brandID: alpha.id, asked, productIDs: products, bucketed: bucketed)
                                    let hourly = try await store.series(
                                        brandID: alpha.id, asked, productIDs: products, bucketed: bucketed, rollup: .hourly)
                                    #expect(pairs == hourly, "\(state): \(asked) for products \(products.map { "\($0)" } ?? "all")")
                                    if !hourly.isEmpty { answered += 1 }
                                    compared += 1
                                }
                            }
                        }
                        return (compared, answered)
                    }
                    // Bucketed and not: in UTC, eleven questions of two dimensions or fewer for the whole brand, and seven
                    // for the reader of two food products (a product restriction counts as a dimension); that reader's
                    // question about care products has no answer. In Paris, the brand's zone, six questions of two
                    // dimensions or fewer for the whole brand, four for that reader. Cut inside days, two questions for
                    // the whole brand and one for that reader. By rows by hour, four for the whole brand and two for
                    // that reader (the others need three dimensions, or two by hour). In New York, one each; in India,
                    // one for the whole brand (that reader's needs two dimensions at half past: the hourly rows).
                    let expected = (compared: 2 * (11 + 7 + 6 + 4 + 3 + 6 + 3), answered: 2 * (11 + 6 + 6 + 4 + 3 + 6 + 3))
                    for state in ["as the consumer left them", "nothing derived", "derived up to 1 pm 40 days ago",
                                  "with late consultations", "all derived"] {
                        switch state {
                        case "nothing derived": try await Self.forgetPairs(client)
                        case "derived up to 1 pm 40 days ago":
                            // Inside a day, whose day rows then hold its first 13 hours.
                            try await derivation.deriveClosedHours(
                                until: Self.utc.startOfDay(for: end.addingTimeInterval(-40 * 86_400)).addingTimeInterval(13 * 3_600))
                        case "with late consultations":
                            try await StatisticsFixture.write(late, to: client)
                            #expect(try await StatisticsFixture.waitForRollups(database, total: 2_300) == 2_300)
                        case "all derived": try await derivation.deriveClosedHours(until: end)
                        default: break
                        }
                        let (compared, answered) = try await compare(state)
                        #expect(compared == expected.compared && answered == expected.answered, "\(state)")
                    }
                    #expect(try await Self.pairSnapshot(client) == (try await Self.pairsFromHourly(client)))
                }
            }
        }
    }
}
