import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import PostgresNIO
import SignetCore
import SignetServer
import Testing

/// The hourly and daily rollups kept by the `statistics` consumer of the
/// consultation stream, against direct counts over the consultations.
@Suite("Statistics rollups")
struct StatisticsRecordingTests {
    static let logger = Logger(label: "stats-test")

    /// Every rollup row's key and count, as "brand|hour|product|country|language|verdict|count".
    static func rollupCounts(_ client: PostgresClient) async throws -> [String] {
        try await client.query("""
            SELECT concat_ws('|', brand_id, to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24'), product_id, country,
                             language, verdict, consultations)
            FROM stats_hourly ORDER BY 1
            """, logger: logger).collect().map { try $0.decode(String.self) }
    }

    /// The same, counted straight from the consultations.
    static func directCounts(_ client: PostgresClient) async throws -> [String] {
        try await client.query("""
            SELECT concat_ws('|', brand_id, to_char(date_trunc('hour', scanned_at, 'UTC') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24'),
                             product_id, country, served_language, verdict, count(*))
            FROM consultations WHERE brand_id IS NOT NULL
            GROUP BY brand_id, date_trunc('hour', scanned_at, 'UTC'), product_id, country, served_language, verdict
            ORDER BY 1
            """, logger: logger).collect().map { try $0.decode(String.self) }
    }

    /// Every rollup row, hourly and daily, with digests of its sketches: equal snapshots are equal rollups, bit for bit.
    static func rollupSnapshot(_ client: PostgresClient) async throws -> [String] {
        try await client.query("""
            SELECT concat_ws('|', brand_id, hour, product_id, country, language, verdict, consultations,
                             md5(seals::text), md5(visitors::text))
            FROM stats_hourly ORDER BY 1
            """, logger: logger).collect().map { try $0.decode(String.self) } + dailySnapshot(client)
    }

    /// Every daily row with digests of its sketches.
    static func dailySnapshot(_ client: PostgresClient) async throws -> [String] {
        try await client.query("""
            SELECT concat_ws('|', brand_id, dimension, value, day, consultations, md5(seals::text), md5(visitors::text))
            FROM stats_daily ORDER BY 1
            """, logger: logger).collect().map { try $0.decode(String.self) }
    }

    /// What the daily rows must be: the hourly rows merged by UTC day, once for the total and once per dimension.
    static func dailyFromHourly(_ client: PostgresClient) async throws -> [String] {
        try await client.query("""
            SELECT concat_ws('|', brand_id, dimension, value, day, sum(consultations), md5(bit_or(seals)::text), md5(bit_or(visitors)::text))
            FROM (SELECT brand_id, date_trunc('day', hour, 'UTC') AS day, d.dimension, d.value, consultations, seals, visitors
                  FROM stats_hourly, LATERAL (VALUES ('all', ''), ('country', country), ('language', language),
                                                     ('verdict', verdict), ('product', product_id::text)) d (dimension, value)) t
            GROUP BY brand_id, dimension, value, day
            ORDER BY 1
            """, logger: logger).collect().map { try $0.decode(String.self) }
    }

    /// Distinct seals per brand and UTC day: the sketches of the day's hours merged in SQL, estimated in Swift, next to the exact count.
    static func distinctSealsByDay(_ client: PostgresClient) async throws -> [(estimate: Int, exact: Int)] {
        var pairs: [(Int, Int)] = []
        let rows = try await client.query("""
            WITH sketches AS (
                SELECT brand_id, date_trunc('day', hour, 'UTC') AS day, substring(varbit_send(bit_or(seals)) FROM 5) AS seals
                FROM stats_hourly GROUP BY 1, 2),
            exact AS (
                SELECT brand_id, date_trunc('day', scanned_at, 'UTC') AS day, count(DISTINCT seal_id) AS seals
                FROM consultations WHERE brand_id IS NOT NULL GROUP BY 1, 2)
            SELECT s.seals, e.seals FROM sketches s JOIN exact e USING (brand_id, day)
            """, logger: logger)
        for try await (bits, exact) in rows.decode((ByteBuffer, Int64).self) {
            let sketch = try #require(HyperLogLog(bytes: Array(bits.readableBytesView)))
            pairs.append((sketch.estimate, Int(exact)))
        }
        return pairs
    }

    @Test("after 3,000 random scans across three brands the rollups equal a direct count, and distinct seals by day are within the sketch's error")
    func randomScansMatchDirectCounts() async throws {
        try await withTestDatabase { database in
            let brands = [
                try await StatisticsFixture.brand(database, slug: "alpha"),
                try await StatisticsFixture.brand(database, slug: "beta", products: 5),
                try await StatisticsFixture.brand(database, slug: "gamma", products: 1),
            ]
            let scans = StatisticsFixture.randomScans(brands, count: 3_000, seed: 20_261_130)
            try await withTestApp(database) { _ in
                try await database.withClient { client in try await StatisticsFixture.write(scans, to: client) }
                #expect(try await StatisticsFixture.waitForRollups(database, total: 3_000) == 3_000)
            }
            try await database.withClient { client in
                let rollups = try await Self.rollupCounts(client)
                #expect(rollups.count > 1_000)
                let direct = try await Self.directCounts(client)
                #expect(rollups == direct)
                let daily = try await Self.dailySnapshot(client)
                #expect(daily.count > 500)
                #expect(daily == (try await Self.dailyFromHourly(client)))
                let days = try await Self.distinctSealsByDay(client)
                #expect(days.count >= 40)
                // Small days can lose a few seals to hashes sharing a register: among n seals in 1,024
                // registers the collisions are about Poisson(n² / 2,048). Linear counting corrects their
                // mean, not their spread, and with some 50 days (cut by today's clock) a day of 30 seals
                // losing 3 (1 % each) comes up now and then; 4 is past what chance gives, a wrong sketch
                // is far past it.
                for (estimate, exact) in days {
                    #expect(abs(estimate - exact) <= max(4, Int(3 * HyperLogLog.standardError * Double(exact))), "\(estimate) for \(exact)")
                }
            }
        }
    }

    @Test("a scan through the server reaches the rollups, by brand, product, country, language and verdict")
    func scanThroughServer() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database, .live) { client in
                _ = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00201") + "&lang=fr", method: .get,
                                             headers: [.xForwardedFor: "192.0.2.7"])
                _ = try await client.execute(uri: "/01/03760123450003/21/H00202?t=AAAAAAAAAAAAAAAA", method: .get,
                                             headers: [.xForwardedFor: "198.51.100.9"])
                #expect(try await StatisticsFixture.waitForRollups(database, total: 2) == 2)
            }
            let rows = try await database.withClient { client in
                try await client.query("""
                    SELECT p.gtin || ' ' || s.country || ' ' || s.language || ' ' || s.verdict || ' ' || s.consultations
                    FROM stats_hourly s JOIN products p ON p.id = s.product_id JOIN brands b ON b.id = s.brand_id
                    WHERE b.slug = 'demo' ORDER BY s.verdict
                    """, logger: Self.logger).collect().map { try $0.decode(String.self) }
            }
            #expect(rows == ["03760123450003 DE en counterfeit 1", "03760123450003 FR fr genuine_first 1"])
        }
    }

    @Test("two servers consuming in parallel, while four writers add 4,000 consultations, count each once")
    func twoConsumers() async throws {
        try await withTestDatabase { database in
            let brands = [
                try await StatisticsFixture.brand(database, slug: "alpha"),
                try await StatisticsFixture.brand(database, slug: "beta"),
            ]
            let first = try await makeTestApplication(database)
            let second = try await makeTestApplication(database)
            try await first.testShuttingDownWithin(.router) { _ in
                try await second.testShuttingDownWithin(.router) { _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for writer in 0..<4 {
                            let scans = StatisticsFixture.randomScans(brands, count: 1_000, days: 3, seed: UInt64(writer) + 99)
                            group.addTask {
                                try await database.withClient { client in
                                    try await StatisticsFixture.write(scans, to: client, perTransaction: 10)
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                    #expect(try await StatisticsFixture.waitForRollups(database, total: 4_000) == 4_000)
                }
            }
            try await database.withClient { client in
                let (rollups, direct) = (try await Self.rollupCounts(client), try await Self.directCounts(client))
                #expect(rollups == direct)
                #expect(try await Self.dailySnapshot(client) == Self.dailyFromHourly(client))
                // The servers derived the closed days' pairs as they started; both consumers added the rest.
                #expect(try await StatisticsPairTests.pairSnapshot(client).count > 100)
                #expect(try await StatisticsPairTests.pairSnapshot(client) == StatisticsPairTests.pairsFromHourly(client))
            }
        }
    }

    @Test("a rebuild gives the live rollups bit for bit, whole or from a date, and the live consumer goes on after it")
    func rebuildEqualsLive() async throws {
        try await withTestDatabase { database in
            let brands = [
                try await StatisticsFixture.brand(database, slug: "alpha"),
                try await StatisticsFixture.brand(database, slug: "beta"),
            ]
            let scans = StatisticsFixture.randomScans(brands, count: 1_500, days: 20, seed: 7)
            try await withTestApp(database) { _ in
                try await database.withClient { client in
                    try await StatisticsFixture.write(scans, to: client)
                    #expect(try await StatisticsFixture.waitForRollups(database, total: 1_500) == 1_500)
                    let live = try await Self.rollupSnapshot(client)

                    let rebuild = StatisticsRebuild(database: client, logger: Self.logger)
                    #expect(try await rebuild.rebuild(brandSlug: "alpha", from: nil) > 0)
                    #expect(try await Self.rollupSnapshot(client) == live)
                    _ = try await rebuild.rebuild(brandSlug: "beta", from: Date().addingTimeInterval(-5 * 86_400))
                    #expect(try await Self.rollupSnapshot(client) == live)

                    // Scans written while rebuilds run are counted once: by the rebuild or by the consumer after it.
                    let more = StatisticsFixture.randomScans(brands, count: 500, days: 2, seed: 8)
                    async let writing: Void = StatisticsFixture.write(more, to: client, perTransaction: 5)
                    for _ in 0..<5 { _ = try await rebuild.rebuild(brandSlug: "alpha", from: nil) }
                    try await writing
                    #expect(try await StatisticsFixture.waitForRollups(database, total: 2_000) == 2_000)
                    let (rollups, direct) = (try await Self.rollupCounts(client), try await Self.directCounts(client))
                    #expect(rollups == direct)
                    #expect(try await Self.dailySnapshot(client) == Self.dailyFromHourly(client))
                }
            }
        }
    }

    @Test("a rebuild of an unknown brand is refused")
    func rebuildUnknownBrand() async throws {
        try await withTestDatabase { database in
            try await database.withClient { client in
                await #expect(throws: AccountError.unknownBrand("nobody")) {
                    try await StatisticsRebuild(database: client, logger: Self.logger).rebuild(brandSlug: "nobody", from: nil)
                }
            }
        }
    }

    @Test("PostgreSQL's sketch of a hash is HyperLogLog's in Swift, bit for bit")
    func sqlSketchMatchesSwift() async throws {
        try await withTestDatabase { database in
            try await database.withClient { client in
                var random = SeededRandom(state: 3)
                var hashes: [Int64] = [0, 1, -1, Int64.min, Int64.max, 1 << 10, 3 << 40]
                for _ in 0..<200 { hashes.append(Int64(bitPattern: random.next())) }
                let bits = try await client.scalar("""
                    SELECT substring(varbit_send(bit_or(signet_hll_of(h))) FROM 5) FROM unnest(\(hashes)::bigint[]) AS h
                    """, as: ByteBuffer.self)!
                var sketch = HyperLogLog()
                for hash in hashes { sketch.insert(hash: UInt64(bitPattern: hash)) }
                #expect(Array(bits.readableBytesView) == sketch.bytes)
            }
        }
    }
}
