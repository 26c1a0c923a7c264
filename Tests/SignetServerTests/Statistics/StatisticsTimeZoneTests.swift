import Foundation
import HTTPTypes
import HummingbirdTesting
import SignetCore
@testable import SignetServer
import Testing

/// The time zone a brand reports in: set in its settings, the dashboard's
/// days start at its midnight, and its pair rollups are derived in it.
@Suite("Statistics in the brand's time zone")
struct StatisticsTimeZoneTests {
    static var paris: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        return calendar
    }

    @Test("an owner sets the zone (an unknown one is refused in the reader's language); the dashboard's days and CSV are that zone's; a new zone drops the old one's pair rows")
    func brandZone() async throws {
        try await withTestDatabase { database in
            let alpha = try await StatisticsFixture.brand(database, slug: "alpha")
            try await AccountsFixture.user(database, brand: "alpha", email: "owner@alpha.test", role: .owner)
            let paris = Self.paris
            // 00:30 yesterday in Paris: the day before in UTC.
            let yesterday = paris.date(byAdding: .day, value: -1, to: paris.startOfDay(for: Date()))!
            let scan = StatisticsFixture.Scan(
                brandID: alpha.id, productID: alpha.productIDs[0], sealID: 1, scannedAt: yesterday.addingTimeInterval(1_800),
                country: "FR", language: "fr", verdict: "genuine_first", visitor: Array(repeating: 7, count: 16))
            try await database.withClient { client in try await StatisticsFixture.write([scan], to: client) }
            try await withTestApp(database) { client in
                #expect(try await StatisticsFixture.waitForRollups(database, total: 1) == 1)
                var browser = PortalBrowser(client)
                browser.acceptLanguage = "fr"
                try await browser.signIn("owner@alpha.test")
                let form = try await browser.get("/portal/brand")
                #expect(form.text.contains(#"name="statistics_time_zone""#) && form.text.contains(#"value="UTC""#))
                #expect(form.text.contains(#"<option value="Europe/Paris">"#))

                let settings = ["name": "Alpha", "default_language": "fr"]
                let refused = try await browser.post("/portal/brand", settings.merging(["statistics_time_zone": "Mars/Olympus"]) { $1 })
                #expect(refused.status == .unprocessableContent)
                #expect(refused.text.contains(try UIStrings.html("portal_error_time_zone", .fr)))

                func csvBuckets() async throws -> [String] {
                    let csv = try await browser.get("/portal/stats/export.csv?period=7d")
                    #expect(csv.status == .ok)
                    return csv.text.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
                }
                // The time chart's column for the day, with the scan in it.
                func column(_ day: Date, in zone: TimeZone) throws -> String {
                    let label = day.formatted(Date.FormatStyle(date: .omitted, time: .omitted, locale: Locale(identifier: "fr"), timeZone: zone)
                        .day().month(.abbreviated))
                    return "<title>\(label) · \(try UIStrings.html("verdict_genuine_first_title", .fr)): 1</title>"
                }
                let utc = TimeZone(identifier: "UTC")!
                // Midnight in Paris is still the day before in UTC.
                let utcDay = yesterday
                let utcBuckets = try await csvBuckets()
                #expect(utcBuckets == ["\(utcDay.formatted(.iso8601.year().month().day()))T00:00:00+00:00"])
                #expect(try await browser.get("/portal/stats?period=7d").text.contains(try column(utcDay, in: utc)))

                #expect(try await browser.post("/portal/brand", settings.merging(["statistics_time_zone": "Europe/Paris"]) { $1 })
                    .status == .seeOther)
                let parisDay = StatisticsBucketFormat(timeZone: "Europe/Paris").string(yesterday)
                #expect(parisDay.hasSuffix("T00:00:00+01:00") || parisDay.hasSuffix("T00:00:00+02:00"))
                let parisBuckets = try await csvBuckets()
                #expect(parisBuckets == [parisDay])
                #expect(try await browser.get("/portal/stats?period=7d").text.contains(try column(yesterday, in: paris.timeZone)))

                try await database.withClient { client in
                    try await StatisticsPairDerivation(database: client, logger: StatisticsFixture.logger).deriveClosedHours()
                    let zones = try await client.query("SELECT DISTINCT zone FROM stats_pairs ORDER BY 1", logger: StatisticsFixture.logger)
                        .collect().map { try $0.decode(String.self) }
                    #expect(zones == ["Europe/Paris", "UTC"])
                }
                #expect(try await browser.post("/portal/brand", settings.merging(["statistics_time_zone": "America/New_York"]) { $1 })
                    .status == .seeOther)
                try await database.withClient { client in
                    let left = try await client.query("""
                        SELECT zone FROM stats_pairs UNION SELECT zone FROM stats_pair_progress ORDER BY 1
                        """, logger: StatisticsFixture.logger).collect().map { try $0.decode(String.self) }
                    #expect(left == ["UTC"])
                    let audited = try await client.scalar("""
                        SELECT details->>'statistics_time_zone' FROM audit_events WHERE action = 'brand.update' ORDER BY id DESC LIMIT 1
                        """, as: String.self)
                    #expect(audited == "America/New_York")
                }
            }
        }
    }
}
