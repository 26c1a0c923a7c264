import SignetCore
import Testing

@Suite("Digital Link query strings")
struct DigitalLinkQueryTests {
    @Test("reserved keys and valid data attributes are read; other parameters pass on, less linkType and what is withheld")
    func reads() throws {
        let query = try DigitalLinkQuery.parse("t=abc&linkType=gs1%3Apip&17=290331&context=FR&utm_source=label&3103=000250")
        #expect(query.linkType == "gs1:pip")
        #expect(query.context == "FR")
        #expect(query.attributes == ["17": "290331", "3103": "000250"])
        #expect(query.value(of: "t") == "abc")
        #expect(query.passedOn(withholding: ["t"]) == "17=290331&context=FR&utm_source=label&3103=000250")
        #expect(try DigitalLinkQuery.parse("t=abc&linkType=all").passedOn(withholding: ["t"]) == nil)
        #expect(try DigitalLinkQuery.parse(nil).attributes.isEmpty)
    }

    @Test("a key or key qualifier in the query, an AI twice, an unknown AI or an impossible value is refused")
    func refuses() {
        let cases: [(String, DigitalLinkQueryError)] = [
            ("10=ABC", .belongsInPath("10")), ("21=1", .belongsInPath("21")), ("22=V", .belongsInPath("22")),
            ("01=03760123450003", .belongsInPath("01")), ("17=290331&17=290401", .duplicate("17")),
            ("99999=1", .unknownApplicationIdentifier("99999")), ("17=291301", .invalidValue("17")),
            ("11=290100", .invalidValue("11")), ("17=2903", .invalidValue("17")), ("7003=2903311260", .invalidValue("7003")),
            ("17=29%G1", .invalidPercentEncoding), ("414=9506000134353", .invalidValue("414")),
        ]
        for (query, error) in cases {
            #expect(throws: error, "\(query)") { try DigitalLinkQuery.parse(query) }
        }
        // Day 00 means the end of the month for best-before, sell-by and expiry dates.
        #expect(throws: Never.self) { try DigitalLinkQuery.parse("15=290300&17=290200&7003=2903311259") }
    }
}
