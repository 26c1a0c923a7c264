import Testing
@testable import SignetCore

/// One row of the parser table: a raw request path and what parsing must give.
struct DigitalLinkCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable, Equatable {
        case link(gtin: String, cpv: String? = nil, lot: String? = nil, serial: String? = nil)
        case error(DigitalLinkError)
    }

    let path: String
    let expected: Expected

    init(_ path: String, _ expected: Expected) {
        self.path = path
        self.expected = expected
    }

    var testDescription: String { path }
}

private func parse(_ path: String) -> DigitalLinkCase.Expected {
    do {
        let link = try DigitalLinkParser.parse(path: path)
        return .link(gtin: link.gtin.digits, cpv: link.consumerProductVariant, lot: link.lot, serial: link.serial)
    } catch {
        return .error(error)
    }
}

@Suite("GS1 Digital Link parsing")
struct DigitalLinkParserTests {
    // Check digits verified with the GS1 mod-10 algorithm (weights 3,1,3,... from the right):
    // 96385074 → 4, 036000291452 → 2, 4006381333931 → 1, 03760123450003 → 3, 10614141000415 → 5.
    static let gtin8 = "96385074"
    static let gtin12 = "036000291452"
    static let gtin13 = "4006381333931"
    static let ean14 = "04006381333931"

    static let cases: [DigitalLinkCase] = [
        // Every GTIN length, normalised to 14 digits.
        .init("/01/96385074", .link(gtin: "00000096385074")),
        .init("/01/036000291452", .link(gtin: "00036000291452")),
        .init("/01/4006381333931", .link(gtin: "04006381333931")),
        .init("/01/03760123450003", .link(gtin: "03760123450003")),
        .init("/01/10614141000415", .link(gtin: "10614141000415")),
        .init("/01/96385074/21/S1", .link(gtin: "00000096385074", serial: "S1")),
        // Bad GTINs.
        .init("/01/4006381333932", .error(.invalidGTIN)), // check digit 2 instead of 1
        .init("/01/10614141000414", .error(.invalidGTIN)),
        .init("/01/963850740", .error(.invalidGTIN)), // 9 digits
        .init("/01/0963850740", .error(.invalidGTIN)), // 10 digits
        .init("/01/00963850740", .error(.invalidGTIN)), // 11 digits
        .init("/01/004006381333931", .error(.invalidGTIN)), // 15 digits
        .init("/01/400638133393A", .error(.invalidGTIN)),
        .init("/01/4006381333931/", .link(gtin: "04006381333931")),
        // Qualifiers in the allowed order, and every subset of it.
        .init("/01/4006381333931/21/SN1", .link(gtin: ean14, serial: "SN1")),
        .init("/01/4006381333931/10/LOT7", .link(gtin: ean14, lot: "LOT7")),
        .init("/01/4006381333931/22/V2", .link(gtin: ean14, cpv: "V2")),
        .init("/01/4006381333931/10/L1/21/S1", .link(gtin: ean14, lot: "L1", serial: "S1")),
        .init("/01/4006381333931/22/V/21/S", .link(gtin: ean14, cpv: "V", serial: "S")),
        .init("/01/4006381333931/22/V/10/L", .link(gtin: ean14, cpv: "V", lot: "L")),
        .init("/01/4006381333931/22/v/10/l/21/s", .link(gtin: ean14, cpv: "v", lot: "l", serial: "s")),
        // Wrong order and duplicates.
        .init("/01/4006381333931/21/S/10/L", .error(.qualifierOutOfOrder("10"))),
        .init("/01/4006381333931/10/L/22/V", .error(.qualifierOutOfOrder("22"))),
        .init("/01/4006381333931/21/S/22/V", .error(.qualifierOutOfOrder("22"))),
        .init("/01/4006381333931/21/A/21/B", .error(.qualifierOutOfOrder("21"))),
        .init("/01/4006381333931/10/A/10/B", .error(.qualifierOutOfOrder("10"))),
        // Unknown AIs.
        .init("/01/4006381333931/17/251231", .error(.unknownQualifier("17"))),
        .init("/01/4006381333931/10/L/17/251231", .error(.unknownQualifier("17"))),
        .init("/01/4006381333931/21/S/01/4006381333931", .error(.unknownQualifier("01"))),
        // Missing values and empty segments.
        .init("/01/4006381333931/21", .error(.missingValue("21"))),
        .init("/01/4006381333931/10/L/21", .error(.missingValue("21"))),
        .init("/01/4006381333931/21//", .error(.missingValue("21"))),
        .init("/01/4006381333931//S", .error(.unknownQualifier(""))),
        .init("/01//21/S", .error(.invalidGTIN)),
        .init("/01/4006381333931/21/S//", .error(.missingValue(""))), // double trailing slash
        .init("/01/4006381333931//", .error(.missingValue(""))),
        // Length limits count decoded bytes.
        .init("/01/4006381333931/21/ABCDEFGHIJ0123456789", .link(gtin: ean14, serial: "ABCDEFGHIJ0123456789")),
        .init("/01/4006381333931/21/ABCDEFGHIJ0123456789X", .error(.valueTooLong(ai: "21", limit: 20))),
        .init("/01/4006381333931/10/ABCDEFGHIJ0123456789X", .error(.valueTooLong(ai: "10", limit: 20))),
        .init("/01/4006381333931/22/ABCDEFGHIJ0123456789X", .error(.valueTooLong(ai: "22", limit: 20))),
        .init("/01/4006381333931/21/" + String(repeating: "%41", count: 20), .link(gtin: ean14, serial: String(repeating: "A", count: 20))),
        .init("/01/4006381333931/21/" + String(repeating: "%41", count: 21), .error(.valueTooLong(ai: "21", limit: 20))),
        // Percent escapes.
        .init("/01/4006381333931/21/A%2FB", .link(gtin: ean14, serial: "A/B")),
        .init("/01/4006381333931/21/%41%42", .link(gtin: ean14, serial: "AB")),
        .init("/01/4006381333931/21/a%2fb%3c", .link(gtin: ean14, serial: "a/b<")),
        .init("/01/4006381333931/10/%25", .link(gtin: ean14, lot: "%")),
        .init("/01/4006381333931/21/A%ZZ", .error(.invalidPercentEncoding)),
        .init("/01/4006381333931/21/A%4", .error(.invalidPercentEncoding)),
        .init("/01/4006381333931/21/A%", .error(.invalidPercentEncoding)),
        .init("/01/4006381333931/21/%4G", .error(.invalidPercentEncoding)),
        .init("/01/4006381333931/10/L%/21/S", .error(.invalidPercentEncoding)),
        // Decoded characters outside AI 82.
        .init("/01/4006381333931/21/A%20B", .error(.invalidCharacter(ai: "21"))),
        .init("/01/4006381333931/21/A%23B", .error(.invalidCharacter(ai: "21"))),
        .init("/01/4006381333931/21/A~B", .error(.invalidCharacter(ai: "21"))),
        .init("/01/4006381333931/10/caf%C3%A9", .error(.invalidCharacter(ai: "10"))),
        .init("/01/4006381333931/22/café", .error(.invalidCharacter(ai: "22"))),
        .init("/01/4006381333931/21/A%00", .error(.invalidCharacter(ai: "21"))),
        .init("/01/4006381333931/21/A@B", .error(.invalidCharacter(ai: "21"))),
        // Every AI 82 punctuation character (exactly 20 of them), escaped where a path needs it.
        .init("/01/4006381333931/21/!%22%25&'()*+,-.%2F:;%3C=%3E%3F_", .link(gtin: ean14, serial: "!\"%&'()*+,-./:;<=>?_")),
        .init("/01/4006381333931/21/!%22%25&'()*+,-.%2F:;%3C=%3E%3F_X", .error(.valueTooLong(ai: "21", limit: 20))),
        // Not a Digital Link at all.
        .init("", .error(.notADigitalLink)),
        .init("/", .error(.notADigitalLink)),
        .init("/01", .error(.notADigitalLink)),
        .init("/01/", .error(.notADigitalLink)),
        .init("01/4006381333931", .error(.notADigitalLink)),
        .init("/02/4006381333931", .error(.notADigitalLink)),
        .init("/1/4006381333931", .error(.notADigitalLink)),
        .init("/gtin/4006381333931", .error(.notADigitalLink)),
        .init("/21/S1/01/4006381333931", .error(.notADigitalLink)),
        .init("//01/4006381333931", .error(.notADigitalLink)),
    ]

    @Test("parse table", arguments: cases)
    func parseTable(_ row: DigitalLinkCase) {
        #expect(parse(row.path) == row.expected)
    }

    @Test("one trailing slash is tolerated and changes nothing", arguments: [
        "/01/96385074",
        "/01/4006381333931/21/SN1",
        "/01/4006381333931/10/L1/21/S1",
        "/01/4006381333931/22/V/10/L/21/S",
        "/01/4006381333931/21/A%2FB",
    ])
    func trailingSlash(_ path: String) throws {
        let plain = try DigitalLinkParser.parse(path: path)
        let slashed = try DigitalLinkParser.parse(path: path + "/")
        #expect(plain == slashed)
        #expect(throws: DigitalLinkError.self) { try DigitalLinkParser.parse(path: path + "//") }
    }

    @Test("a Substring path parses like a String")
    func substringInput() throws {
        let full = "xx/01/4006381333931/21/S1yy"
        let path = full.dropFirst(2).dropLast(2)
        let link = try DigitalLinkParser.parse(path: path)
        #expect(link.serial == "S1")
        #expect(link.gtin.digits == Self.ean14)
    }

    @Test("short GTINs and their 14-digit form give equal links")
    func normalisedEquality() throws {
        let short = try DigitalLinkParser.parse(path: "/01/4006381333931/21/S")
        let long = try DigitalLinkParser.parse(path: "/01/04006381333931/21/S")
        #expect(short == long)
        #expect(short.path == "/01/04006381333931/21/S")
    }

    /// Every byte, percent-encoded, is accepted in a value exactly when it is in AI 82.
    @Test("AI 82 membership of every escaped byte", arguments: 0...255)
    func everyEscapedByte(_ byte: Int) {
        let hex = String(byte, radix: 16, uppercase: true)
        let escape = "%" + (hex.count == 1 ? "0" + hex : hex)
        let reference: Set<Character> = Set("!\"%&'()*+,-./:;<=>?_" + "0123456789"
            + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz")
        let allowed = byte < 128 && reference.contains(Character(Unicode.Scalar(UInt8(byte))))
        let result = parse("/01/4006381333931/21/X" + escape)
        if allowed {
            #expect(result == .link(gtin: Self.ean14, serial: "X" + String(Character(Unicode.Scalar(UInt8(byte))))))
        } else {
            #expect(result == .error(.invalidCharacter(ai: "21")))
        }
    }

    static let roundTripValues: [String] = [
        "A/B", "100%", "x?y", "<tag>", "\"quoted\"", "a&b=c", "!'()*+,-.:;_",
        "!\"%&'()*+,-./:;<=>?_", "ABCDEFGHIJ0123456789", "%2F", "%41", "a%zz",
    ]

    @Test("DigitalLink.path round-trips through the parser", arguments: roundTripValues)
    func pathRoundTrip(_ value: String) throws {
        let gtin = try #require(GTIN(Self.gtin13))
        let links = [
            DigitalLink(gtin: gtin, serial: value),
            DigitalLink(gtin: gtin, lot: value, serial: "S"),
            DigitalLink(gtin: gtin, consumerProductVariant: value, lot: "L", serial: value),
        ]
        for link in links {
            #expect(try DigitalLinkParser.parse(path: link.path) == link)
        }
    }

    /// The printer side does not validate: a value outside AI 82 still gets a
    /// path, but the parser refuses it, naming the first offending AI.
    @Test("values outside AI 82 are encoded but refused", arguments: ["a b", "lot#1", "~", "é"])
    func unparseableValues(_ value: String) throws {
        let gtin = try #require(GTIN(Self.gtin13))
        let cases: [(DigitalLink, String)] = [
            (DigitalLink(gtin: gtin, serial: value), "21"),
            (DigitalLink(gtin: gtin, lot: value, serial: "S"), "10"),
            (DigitalLink(gtin: gtin, consumerProductVariant: value, lot: "L", serial: value), "22"),
        ]
        for (link, ai) in cases {
            #expect(throws: DigitalLinkError.invalidCharacter(ai: ai)) { try DigitalLinkParser.parse(path: link.path) }
        }
    }

    @Test("path escapes only what a path segment needs")
    func pathEncoding() throws {
        let gtin = try #require(GTIN(Self.gtin8))
        #expect(DigitalLink(gtin: gtin).path == "/01/00000096385074")
        #expect(DigitalLink(gtin: gtin, lot: "L 1", serial: "A/B?").path == "/01/00000096385074/10/L%201/21/A%2FB%3F")
        #expect(DigitalLink(gtin: gtin, consumerProductVariant: "v", serial: "s").path == "/01/00000096385074/22/v/21/s")
        #expect(DigitalLink(gtin: gtin, serial: "!\"%&'()*+,-./:;<=>?_").path
            == "/01/00000096385074/21/!%22%25%26'()*+,-.%2F:;%3C=%3E%3F_")
    }
}
