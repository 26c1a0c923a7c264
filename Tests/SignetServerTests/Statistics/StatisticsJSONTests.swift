import Foundation
import NIOCore
import SignetCore
@testable import SignetServer
import Testing

@Suite("Statistics answers as JSON")
struct StatisticsJSONTests {
    static let question = StatisticsQuery(
        from: Date(timeIntervalSince1970: 1_768_348_800), to: Date(timeIntervalSince1970: 1_768_608_000), interval: .day,
        groupBy: [.verdict, .productType, .country], timeZone: "Europe/Paris")

    static func text(_ rows: [StatisticsStore.Row], _ question: StatisticsQuery = question) -> String {
        String(buffer: StatisticsJSON.body(rows, question: question, bucketFormat: StatisticsBucketFormat(timeZone: question.timeZone)))
    }

    @Test("the schema's key order (dimensions too, whatever the order asked), compact, buckets with the zone's offset")
    func layout() {
        let rows = [
            StatisticsStore.Row(bucket: Self.question.from, groups: ["genuine_first", "food", "FR"], consultations: 12, uniqueSeals: 11),
            StatisticsStore.Row(bucket: Self.question.from.addingTimeInterval(86_400), groups: ["counterfeit", "", "unknown"],
                                consultations: 1, uniqueSeals: 1),
        ]
        #expect(Self.text(rows) == """
            {"from":"2026-01-14T00:00:00Z","to":"2026-01-17T00:00:00Z","interval":"day","tz":"Europe/Paris",\
            "group_by":["verdict","product_type","country"],"rows":[\
            {"bucket":"2026-01-14T01:00:00+01:00","country":"FR","product_type":"food","verdict":"genuine_first","consultations":12,"unique_seals":11},\
            {"bucket":"2026-01-15T01:00:00+01:00","country":"unknown","product_type":"","verdict":"counterfeit","consultations":1,"unique_seals":1}]}
            """)
        let empty = StatisticsQuery(from: Self.question.from, to: Self.question.to, interval: .month)
        #expect(Self.text([], empty) == """
            {"from":"2026-01-14T00:00:00Z","to":"2026-01-17T00:00:00Z","interval":"month","tz":"UTC","group_by":[],"rows":[]}
            """)
    }

    @Test("quotes, backslashes and control characters are escaped; other text is UTF-8; the result parses back")
    func escaping() throws {
        let value = "a\"b\\c\u{1}d\ne-é-日本"
        #expect(String(decoding: StatisticsJSON.escaped(value), as: UTF8.self) == #""a\"b\\c\u0001d\u000ae-é-日本""#)
        let question = StatisticsQuery(from: Self.question.from, to: Self.question.to, interval: .day, groupBy: [.productType])
        let text = Self.text([StatisticsStore.Row(bucket: question.from, groups: [value], consultations: 3, uniqueSeals: 2)], question)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let row = (parsed?["rows"] as? [[String: Any]])?.first
        #expect(row?["product_type"] as? String == value)
        #expect(row?["consultations"] as? Int == 3 && row?["unique_seals"] as? Int == 2)
    }
}
