import Testing
import SignetCore

@Suite("Localized strings")
struct LocalizedStringsTests {
    static let months = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]

    static let english = LocalizedStrings(language: .en, table: [
        "title": "Genuine product",
        "seen": "First verified on {date} ({country}); {count} scans.",
        "twice": "{name} and {name} again",
        "braces": "{} {unclosed {name}",
        "date_pattern": "{month} {day}, {year}",
    ].merging(months.enumerated().map { ("month_\($0.offset + 1)", $0.element) }) { $1 })

    static let french = LocalizedStrings(language: .fr, table: [
        "date_pattern": "{day} {month} {year}",
        "month_1": "janvier", "month_2": "février", "month_12": "décembre",
    ])

    @Test("lookup, and a missing key shows as itself")
    func subscripts() {
        #expect(Self.english["title"] == "Genuine product")
        #expect(Self.english["nope"] == "nope")
        #expect(Self.english[""] == "")
        #expect(Self.english.language == .en)
    }

    @Test("placeholders are replaced")
    func format() {
        #expect(Self.english.format("seen", ["date": "May 2, 2024", "country": "France", "count": "3"])
            == "First verified on May 2, 2024 (France); 3 scans.")
        #expect(Self.english.format("twice", ["name": "Ann"]) == "Ann and Ann again")
    }

    @Test("unknown and missing placeholders stay as written; unused values are ignored")
    func formatLeftovers() {
        #expect(Self.english.format("seen", ["count": "1"]) == "First verified on {date} ({country}); 1 scans.")
        #expect(Self.english.format("seen", [:]) == "First verified on {date} ({country}); {count} scans.")
        #expect(Self.english.format("title", ["date": "x"]) == "Genuine product")
        #expect(Self.english.format("braces", ["name": "N"]) == "{} {unclosed N")
    }

    @Test("a missing key formats as the key itself")
    func formatMissingKey() {
        #expect(Self.english.format("missing", ["x": "y"]) == "missing")
    }

    /// Values are inserted once: a value that looks like a placeholder is not
    /// expanded again. With a cycle a → b → c → a, replacing one name after the
    /// other re-expands at least one value whatever order the dictionary yields.
    @Test("values are not re-expanded")
    func noReexpansion() {
        let strings = LocalizedStrings(language: .en, table: ["k": "{a}|{b}|{c}"])
        #expect(strings.format("k", ["a": "{b}", "b": "{c}", "c": "{a}"]) == "{b}|{c}|{a}")
        #expect(strings.format("k", ["a": "{a}", "b": "{{c}}", "c": "}"]) == "{a}|{{c}}|}")
        let nested = LocalizedStrings(language: .en, table: ["k": "{{a}} {a}{a} {a"])
        #expect(nested.format("k", ["a": "1"]) == "{1} 11 {a")
    }

    @Test("dates use the language's pattern and month names", arguments: [
        ("2024-05-02", "May 2, 2024", "2 month_5 2024"),
        ("2024-01-31", "January 31, 2024", "31 janvier 2024"),
        ("1999-12-09", "December 9, 1999", "9 décembre 1999"),
        ("2025-02-10T08:30:00Z", "February 10, 2025", "10 février 2025"),
        ("2025-02-10 08:30:00+00", "February 10, 2025", "10 février 2025"),
    ] as [(String, String, String)])
    func date(_ iso: String, _ english: String, _ french: String) {
        #expect(Self.english.date(iso: iso) == english)
        // French has no month_5 in this table: the key shows, the rest still formats.
        #expect(Self.french.date(iso: iso) == french)
    }

    @Test("bad dates format to nil", arguments: ["", "yesterday", "2024-13-01", "2024-00-01", "2024-01-00", "2024-01-32", "2024/01/02"])
    func badDate(_ iso: String) {
        #expect(Self.english.date(iso: iso) == nil)
    }

    @Test("CivilDate parses ISO dates")
    func civilDate() throws {
        let date = try #require(CivilDate(iso: "2024-02-29"))
        #expect((date.year, date.month, date.day) == (2024, 2, 29))
        #expect(CivilDate(iso: "0001-01-01") == CivilDate(iso: "0001-01-01T00:00:00"))
        #expect(CivilDate(iso: "2024-12-31")?.month == 12)
        #expect(CivilDate(iso: "2024-12-31")?.day == 31)
        #expect(CivilDate(iso: "2024-05-02") != CivilDate(iso: "2024-05-03"))
    }

    @Test("CivilDate rejects bad input", arguments: [
        "", "2024", "2024-05", "20240502", "2024-5", "2024/05/02", "2024.05.02",
        "abcd-05-02", "2024-xx-02", "2024-05-xx", "2024-13-02", "2024-00-02", "2024-05-00", "2024-05-32",
        "2024-05-1x", "2024--05-02", " 2024-05-02", "２０２４-05-02",
    ])
    func civilDateRejects(_ iso: String) {
        #expect(CivilDate(iso: iso) == nil)
    }
}
