import Foundation
import HTTPTypes
import HummingbirdTesting
import SignetCore
@testable import SignetServer
import Testing

/// The portal's statistics dashboard, over real rollups.
@Suite("Statistics dashboard")
struct StatisticsDashboardTests {
    static func scan(_ brand: StatisticsFixture.Brand, _ product: Int, hoursAgo: Double, _ country: String, _ language: String,
                     _ verdict: String, seal: Int64) -> StatisticsFixture.Scan {
        .init(brandID: brand.id, productID: brand.productIDs[product], sealID: seal,
              scannedAt: Date().addingTimeInterval(-hoursAgo * 3600), country: country, language: language, verdict: verdict,
              visitor: Array(repeating: UInt8(seal % 256), count: 16))
    }

    /// Signs in alpha's owner and returns the dashboard at `uri` in `language`.
    static func dashboard(_ client: any TestClientProtocol, _ uri: String, language: String = "en") async throws -> TestResponse {
        var browser = PortalBrowser(client)
        browser.acceptLanguage = language
        try await browser.signIn("owner@alpha.test")
        return try await browser.get(uri)
    }

    @Test("with no consultations the dashboard says so, in each language, with zero totals and no chart")
    func noData() async throws {
        try await withTestDatabase { database in
            _ = try await StatisticsFixture.brand(database, slug: "alpha")
            try await AccountsFixture.user(database, brand: "alpha", email: "owner@alpha.test", role: .owner)
            try await withTestApp(database) { client in
                for language in Language.allCases {
                    let page = try await Self.dashboard(client, "/portal/stats", language: language.rawValue)
                    #expect(page.status == .ok)
                    #expect(page.text.contains(try UIStrings.html("portal_stats_none", language)))
                    #expect(page.text.contains(try UIStrings.html("portal_nav_stats", language)))
                    #expect(!page.text.contains("<svg"))
                }
            }
        }
    }

    @Test("a little data: totals with the change against the previous period, the verdict columns, bars, map, top products and suspicious seals")
    func littleData() async throws {
        try await withTestDatabase { database in
            let alpha = try await StatisticsFixture.brand(database, slug: "alpha")
            try await AccountsFixture.user(database, brand: "alpha", email: "owner@alpha.test", role: .owner)
            let scans = [
                Self.scan(alpha, 0, hoursAgo: 30, "FR", "fr", "genuine_first", seal: 1),
                Self.scan(alpha, 0, hoursAgo: 29, "FR", "fr", "genuine_seen", seal: 1),
                Self.scan(alpha, 1, hoursAgo: 28, "FR", "en", "genuine_first", seal: 2),
                Self.scan(alpha, 2, hoursAgo: 27, "DE", "de", "suspicious", seal: 3),
                Self.scan(alpha, 2, hoursAgo: 26, "DE", "de", "suspicious", seal: 3),
                Self.scan(alpha, 2, hoursAgo: 25, "DE", "de", "counterfeit", seal: 4),
                // The period before: 2 consultations, so 6 is +200 %.
                Self.scan(alpha, 0, hoursAgo: 24 * 40, "ES", "es", "genuine_first", seal: 5),
                Self.scan(alpha, 0, hoursAgo: 24 * 41, "ES", "es", "genuine_first", seal: 6),
            ]
            try await database.withClient { client in try await StatisticsFixture.write(scans, to: client, perTransaction: 3) }
            try await withTestApp(database) { client in
                #expect(try await StatisticsFixture.waitForRollups(database, total: 8) == 8)
                let page = try await Self.dashboard(client, "/portal/stats")
                #expect(page.status == .ok)
                let html = page.text
                #expect(html.contains(#"<strong class="stats-total__value">6</strong>"#))
                #expect(html.contains("+200% against the previous period"))
                #expect(html.contains(#"<strong class="stats-total__value">50%</strong>"#))   // 3 genuine of 6
                #expect(html.contains(#"data-series="genuine_first""#) && html.contains(#"data-series="suspicious""#))
                #expect(html.contains("Genuine product: 2"))
                #expect(html.contains("<title>France: 3</title>") && html.contains("<title>Germany: 3</title>"))
                #expect(html.contains(#"data-country="FR""#) && html.contains(#"data-country="DE""#) && !html.contains(#"data-country="ES""#))
                #expect(html.contains("<title>Food: 3</title>") && html.contains("<title>Care: 3</title>"))
                #expect(html.contains("Product 1 of alpha") && html.contains("S3</code>"))
                #expect(html.contains("Natural Earth"))

                // Filters live in the URL and narrow every figure.
                let french = try await Self.dashboard(client, "/portal/stats?country=FR&period=7d")
                #expect(french.text.contains(#"<strong class="stats-total__value">3</strong>"#))
                #expect(french.text.contains(#"<strong class="stats-total__value">100%</strong>"#))
                #expect(!french.text.contains("<title>Germany"))

                // A bad filter is a message in the page's language, not an error page.
                let bad = try await Self.dashboard(client, "/portal/stats?country=France&period=2y", language: "de")
                #expect(bad.status == .ok)
                #expect(bad.text.contains(try UIStrings.html("portal_stats_bad_country", .de)))
                #expect(bad.text.contains(try UIStrings.html("portal_stats_bad_period", .de)))

                // The CSV holds what the time chart shows.
                var browser = PortalBrowser(client)
                try await browser.signIn("owner@alpha.test")
                let csv = try await browser.get("/portal/stats/export.csv?period=7d")
                #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
                let lines = csv.text.split(separator: "\n")
                #expect(lines.first == "bucket,verdict,consultations,unique_seals")
                #expect(lines.dropFirst().map { Int($0.split(separator: ",")[2])! }.reduce(0, +) == 6)
            }
        }
    }

    @Test("a lot of data: 3,000 scans, numbers written the way each language writes them")
    func lotsOfData() async throws {
        try await withTestDatabase { database in
            let alpha = try await StatisticsFixture.brand(database, slug: "alpha", products: 12)
            try await AccountsFixture.user(database, brand: "alpha", email: "owner@alpha.test", role: .owner)
            let scans = StatisticsFixture.randomScans([alpha], count: 3_000, days: 6, seed: 11)
            try await database.withClient { client in try await StatisticsFixture.write(scans, to: client, perTransaction: 100) }
            try await withTestApp(database) { client in
                #expect(try await StatisticsFixture.waitForRollups(database, total: 3_000) == 3_000)
                let expected: [(String, String)] = [("en", "3,000"), ("fr", "3\u{202F}000"), ("de", "3.000"), ("es", "3000")]
                for (language, total) in expected {
                    let page = try await Self.dashboard(client, "/portal/stats?period=7d", language: language)
                    #expect(page.status == .ok)
                    #expect(page.text.contains(#"<strong class="stats-total__value">\#(total)</strong>"#), "\(language)")
                    #expect(page.text.components(separatedBy: "<tr><td data-label=").count - 1 >= 10, "top products listed")
                }
            }
        }
    }

    @Test("the live feed says refresh when new scans are counted, and the page loads its script")
    func liveFeed() async throws {
        try await withTestDatabase { database in
            let alpha = try await StatisticsFixture.brand(database, slug: "alpha")
            try await AccountsFixture.user(database, brand: "alpha", email: "owner@alpha.test", role: .owner)
            // Longer than the feed's poll, short of the test client's 20 s read timeout.
            let app = try await makeTestApplication(database, alertFeedLifetime: .seconds(8), alertFeedHeartbeat: .seconds(1))
            try await app.testShuttingDownWithin(.live) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("owner@alpha.test")
                let page = try await browser.get("/portal/stats")
                #expect(page.text.contains(#"<script src="/js/stats-live.js" defer></script>"#))
                #expect(page.text.contains(#"data-feed="/portal/stats/feed""#))
                let started = ContinuousClock.now
                // A rollup row as the statistics consumer writes it: the feed watches the
                // rollups (the stream's path to them is StatisticsRecordingTests' business).
                let writer = Task {
                    try await Task.sleep(for: .seconds(1))
                    try await database.withClient { client in
                        try await client.run("""
                            INSERT INTO stats_hourly (brand_id, hour, product_id, country, language, verdict, consultations, seals, visitors)
                            SELECT b.id, date_trunc('hour', now(), 'UTC'), p.id, 'FR', 'fr', 'genuine_first', 1,
                                   repeat('0', 16384)::bit(16384), repeat('0', 16384)::bit(16384)
                            FROM brands b JOIN products p ON p.brand_id = b.id WHERE b.slug = 'alpha' LIMIT 1
                            """)
                    }
                }
                let feed = try await browser.get("/portal/stats/feed")
                try await writer.value
                #expect(feed.status == .ok && feed.headers[.contentType] == "text/event-stream; charset=utf-8")
                #expect(feed.text.hasPrefix("retry: 3000\n"))
                #expect(feed.text.contains("event: refresh\ndata: 1\n\n"))
                #expect(ContinuousClock.now - started < .seconds(30))
            }
        }
    }

    @Test("the SVG of a known data set: bars as long as their share, labels, titles and text alternative")
    func knownSVG() {
        let bars = StatisticsChartSVG.bars(id: "c", title: "By country", description: "France: 12; Germany: 6", bars: [
            .init(label: "France", value: 12, valueText: "12"), .init(label: "Germany", value: 6, valueText: "6"),
            .init(label: "Côte d’Ivoire & <others>", value: 0, valueText: "0"),
        ])
        #expect(bars.contains(#"<title id="c-title">By country</title><desc id="c-desc">France: 12; Germany: 6</desc>"#))
        #expect(bars.contains(#"role="img""#) && bars.contains(#"aria-labelledby="c-title c-desc""#))
        #expect(bars.contains(##"width="290" height="12" fill="#0072B2"><title>France: 12</title>"##))
        #expect(bars.contains(##"width="145" height="12" fill="#0072B2"><title>Germany: 6</title>"##))
        #expect(bars.contains("Côte d’Ivoire &amp; &lt;others&gt;"))

        let columns = StatisticsChartSVG.stackedColumns(
            id: "t", title: "Over time", description: "d", bucketLabels: ["1 Jan", "2 Jan"],
            series: [
                .init(key: "genuine_first", label: "Genuine", colour: "#009E73", values: [3, 1]),
                .init(key: "counterfeit", label: "Counterfeit", colour: "#D55E00", values: [1, 0]),
            ], format: { String($0) })
        // Scale to 4: a column of 3 is 3/4 of the 150-unit plot, the counterfeit 1 sits on top of it.
        #expect(columns.contains(##"data-series="genuine_first" x="##) && columns.contains(##"height="112.5" fill="#009E73"><title>1 Jan · Genuine: 3</title>"##))
        #expect(columns.contains(##"y="10" width="##) && columns.contains(##"height="37.5" fill="#D55E00"><title>1 Jan · Counterfeit: 1</title>"##))
        #expect(!columns.contains("2 Jan · Counterfeit"))
        #expect(columns.contains(">Genuine</text>") && columns.contains(">Counterfeit</text>"))
        #expect(StatisticsChartSVG.niceCeiling(3) == 4 && StatisticsChartSVG.niceCeiling(17) == 20 && StatisticsChartSVG.niceCeiling(1_234) == 2_000)
    }
}
