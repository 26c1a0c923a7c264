import Foundation
import SignetCore
import Testing

@Suite("Statistics questions")
struct StatisticsQueryTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    static func parse(_ raw: StatisticsQuery.Raw) -> Result<StatisticsQuery, StatisticsQuery.Invalid> {
        StatisticsQuery.parse(raw, now: now)
    }

    @Test("with nothing asked: the 30 days before now, by day, in UTC, no groups, no filters")
    func defaults() throws {
        let query = try Self.parse(.init()).get()
        #expect(query == StatisticsQuery(from: Self.now.addingTimeInterval(-30 * 86_400), to: Self.now, interval: .day))
    }

    @Test("dimensions keep the order asked; filters are normalised (FR, en, GTIN-14) and deduplicated")
    func groupsAndFilters() throws {
        let query = try Self.parse(.init(
            interval: "month", groupBy: "verdict, country,product_type",
            filters: [.country: "fr,DE,unknown,FR", .language: "EN", .product: "3760123450003"], timeZone: "Europe/Paris")).get()
        #expect(query.groupBy == [.verdict, .country, .productType])
        #expect(query.filters == [.country: ["FR", "DE", "unknown"], .language: ["en"], .product: ["03760123450003"]])
        #expect(query.interval == .month && query.timeZone == "Europe/Paris")
    }

    @Test("every verdict can be filtered on, NFC's replayed and tampered included")
    func everyVerdict() throws {
        let all = Verdict.allCases.map(\.rawValue)
        let query = try Self.parse(.init(filters: [.verdict: all.joined(separator: ",")])).get()
        #expect(query.filters[.verdict] == all)
        #expect(all.contains("replayed") && all.contains("tampered"))
    }

    @Test("every bad value is named at once")
    func errors() {
        guard case .failure(let invalid) = Self.parse(.init(
            from: Self.now, to: Self.now.addingTimeInterval(-1), interval: "fortnight", groupBy: "country,colour,country",
            filters: [.country: "France", .verdict: "fake", .product: "123"], timeZone: "Mars/Olympus"))
        else { Issue.record("accepted"); return }
        let errors = invalid.errors
        #expect(Set(errors.map(\.field)) == ["interval", "from", "group_by", "country", "verdict", "product", "tz"])
        #expect(errors.filter { $0.field == "group_by" }.count == 2)
    }

    @Test("a period longer than the interval allows is refused: 94 days by hour, not 93")
    func longestPeriod() {
        let start = Self.now.addingTimeInterval(-93 * 86_400)
        #expect((try? Self.parse(.init(from: start, interval: "hour")).get()) != nil)
        guard case .failure(let invalid) = Self.parse(.init(from: start.addingTimeInterval(-86_400), interval: "hour")) else {
            Issue.record("accepted"); return
        }
        #expect(invalid.errors.map(\.field) == ["to"])
    }
}
