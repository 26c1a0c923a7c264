import Testing
@testable import SignetCore

struct AcceptLanguageCase: Sendable, CustomTestStringConvertible {
    let header: String
    /// Expected ranges as "tag@quality", best first.
    let expected: [String]

    init(_ header: String, _ expected: [String]) {
        self.header = header
        self.expected = expected
    }

    var testDescription: String { "\"\(header)\"" }
}

@Suite("Accept-Language parsing")
struct AcceptLanguageTests {
    static let cases: [AcceptLanguageCase] = [
        .init("", []),
        .init("fr", ["fr@1000"]),
        .init("da, en-gb;q=0.8, en;q=0.7", ["da@1000", "en-gb@800", "en@700"]),
        .init("en;q=0.5, fr", ["fr@1000", "en@500"]),
        .init("de;q=0.2,es;q=0.9,fr;q=0.5", ["es@900", "fr@500", "de@200"]),
        // Equal qualities keep the header's order, whatever the header order is.
        .init("a;q=0.3,b;q=0.3,c;q=0.3", ["a@300", "b@300", "c@300"]),
        .init("c;q=0.3,a;q=0.3,b;q=0.3", ["c@300", "a@300", "b@300"]),
        .init("x, y;q=0.5, z, w;q=0.5", ["x@1000", "z@1000", "y@500", "w@500"]),
        // q=0 means "not acceptable".
        .init("fr;q=0, en", ["en@1000"]),
        .init("fr;q=0.000, en;q=0.0", []),
        // The qvalue grammar: 0 or 1, then at most three decimals; 1 only as 1.000.
        .init("fr;q=1.", ["fr@1000"]),
        .init("fr;q=1.000", ["fr@1000"]),
        .init("fr;q=0.001", ["fr@1"]),
        .init("fr;q=0.05", ["fr@50"]),
        .init("fr;q=0.123", ["fr@123"]),
        .init("fr;q=1.001, en", ["en@1000"]),
        .init("fr;q=2, en", ["en@1000"]),
        .init("fr;q=abc, en", ["en@1000"]),
        .init("fr;q=0.5555, en;q=0.1", ["en@100"]),
        .init("fr;q=.5, en;q=0.1", ["en@100"]),
        .init("fr;q=-0.5, en;q=0.1", ["en@100"]),
        .init("fr;q=0,5, en;q=0.1", ["5@1000", "en@100"]),
        .init("fr;q=, en;q=0.1", ["en@100"]),
        // Whitespace and case of the parameter name.
        .init("  fr-CA ;  q=0.7 ,\tEN ; Q=0.3 ", ["fr-CA@700", "EN@300"]),
        .init("fr;level=1;q=0.4, en;q=0.3", ["fr@400", "en@300"]),
        .init(",, en ,, ;q=0.5,", ["en@1000"]),
        // The wildcard is kept here; LanguagePreferences ignores it.
        .init("*;q=0.1, de", ["de@1000", "*@100"]),
        // A tag longer than 35 bytes is dropped.
        .init(String(repeating: "a", count: 36) + ", de", ["de@1000"]),
        .init(String(repeating: "a", count: 35), [String(repeating: "a", count: 35) + "@1000"]),
    ]

    @Test("parse table", arguments: cases)
    func parseTable(_ row: AcceptLanguageCase) {
        let parsed = AcceptLanguage.parse(row.header).map { "\($0.tag)@\($0.quality)" }
        #expect(parsed == row.expected)
    }

    @Test("only the first 32 ranges are read")
    func maximumRanges() {
        let header = (0..<40).map { "l\($0);q=0.\($0 < 32 ? 1 : 9)" }.joined(separator: ",")
        let parsed = AcceptLanguage.parse(header)
        #expect(parsed.count == AcceptLanguage.maximumRanges)
        #expect(parsed.allSatisfy { $0.quality == 100 })
        #expect(parsed.first?.tag == "l0")
        #expect(parsed.last?.tag == "l31")
    }

    @Test("qvalue parsing", arguments: [
        ("0", 0), ("1", 1000), ("0.", 0), ("1.", 1000), ("0.5", 500), ("0.75", 750), ("0.999", 999),
        ("1.0", 1000), ("1.00", 1000), ("1.000", 1000),
    ] as [(String, Int)])
    func quality(_ text: String, _ expected: Int) {
        #expect(AcceptLanguage.parseQuality(Substring(text)) == expected)
    }

    @Test("invalid qvalues", arguments: ["", "2", "abc", ".5", "0.5555", "1.001", "1.5", "0,5", "0.a", "00.5", "01", "1.0000", " 0.5", "-0"])
    func invalidQuality(_ text: String) {
        #expect(AcceptLanguage.parseQuality(Substring(text)) == nil)
    }

    @Test("result is sorted best first and has only positive qualities")
    func invariants() {
        let header = "a;q=0.1, b, c;q=0, d;q=0.9, e;q=0.9, f;q=1.0, g;q=0.001"
        let parsed = AcceptLanguage.parse(header)
        #expect(parsed.map(\.tag) == ["b", "f", "d", "e", "a", "g"])
        #expect(zip(parsed, parsed.dropFirst()).allSatisfy { $0.quality >= $1.quality })
        #expect(parsed.allSatisfy { (1...1000).contains($0.quality) })
    }
}
