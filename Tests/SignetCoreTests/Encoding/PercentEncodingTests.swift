import Testing
import SignetCore

@Suite("Percent encoding")
struct PercentEncodingTests {
    @Test("decoding", arguments: [
        ("", []),
        ("abc", Array("abc".utf8)),
        ("%41", [0x41]),
        ("%4a%4A", [0x4A, 0x4A]),
        ("a%2Fb", Array("a/b".utf8)),
        ("%00%ff%FF", [0x00, 0xFF, 0xFF]),
        ("%25", [0x25]),
        ("%2525", Array("%25".utf8)),
        ("+", [0x2B]), // not form decoding: + stays +
        ("caf%C3%A9", Array("café".utf8)),
        ("café", Array("café".utf8)),
    ] as [(String, [UInt8])])
    func decode(_ text: String, _ bytes: [UInt8]) {
        #expect(PercentEncoding.decode(text) == bytes)
    }

    @Test("malformed escapes", arguments: ["%", "%4", "a%", "%ZZ", "%G0", "%0G", "%%41", "%-1", "% 41", "%4 ", "ok%2"])
    func malformed(_ text: String) {
        #expect(PercentEncoding.decode(text) == nil)
    }

    @Test("path segments keep unreserved and segment-safe characters")
    func segmentSafe() {
        let safe = "ABCXYZabcxyz0189-._~!'()*+,;=:"
        #expect(PercentEncoding.encodePathSegment(safe) == safe)
    }

    @Test("path segments escape the rest with uppercase hex", arguments: [
        ("/", "%2F"), ("?", "%3F"), ("#", "%23"), ("%", "%25"), (" ", "%20"), ("\"", "%22"), ("&", "%26"),
        ("<", "%3C"), (">", "%3E"), ("@", "%40"), ("[", "%5B"), ("]", "%5D"), ("\\", "%5C"), ("^", "%5E"),
        ("`", "%60"), ("{", "%7B"), ("|", "%7C"), ("}", "%7D"), ("$", "%24"), ("\n", "%0A"), ("\u{7F}", "%7F"),
        ("\u{0}", "%00"), ("é", "%C3%A9"), ("€", "%E2%82%AC"), ("a/b c", "a%2Fb%20c"),
    ] as [(String, String)])
    func segmentEscapes(_ text: String, _ encoded: String) {
        #expect(PercentEncoding.encodePathSegment(text) == encoded)
    }

    @Test("query values escape everything but unreserved characters", arguments: [
        ("abc-._~XYZ019", "abc-._~XYZ019"), (" ", "%20"), ("+", "%2B"), ("&", "%26"), ("=", "%3D"),
        ("a b&c=d", "a%20b%26c%3Dd"), ("/", "%2F"), ("?", "%3F"), ("#", "%23"), ("%", "%25"),
        ("!", "%21"), ("'", "%27"), ("(", "%28"), ("*", "%2A"), (",", "%2C"), (";", "%3B"), (":", "%3A"),
        ("é", "%C3%A9"), ("", ""),
    ] as [(String, String)])
    func queryEscapes(_ text: String, _ encoded: String) {
        #expect(PercentEncoding.encodeQueryValue(text) == encoded)
    }

    @Test("decoding undoes both encoders for every ASCII character and some Unicode")
    func roundTrip() {
        let ascii = String(decoding: Array(UInt8(0)...UInt8(127)), as: UTF8.self)
        for text in [ascii, "café crème", "日本語/テスト", "emoji 🙂?#", "%41%", ""] {
            #expect(PercentEncoding.decode(PercentEncoding.encodePathSegment(text)) == Array(text.utf8))
            #expect(PercentEncoding.decode(PercentEncoding.encodeQueryValue(text)) == Array(text.utf8))
        }
    }

    @Test("encoded output is plain ASCII with no reserved delimiters")
    func encodedAlphabet() {
        let ascii = String(decoding: Array(UInt8(0)...UInt8(127)), as: UTF8.self) + "é"
        let segment = PercentEncoding.encodePathSegment(ascii)
        #expect(segment.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F })
        #expect(!segment.contains("/") && !segment.contains("?") && !segment.contains("#"))
        let query = PercentEncoding.encodeQueryValue(ascii)
        #expect(!query.contains("&") && !query.contains("=") && !query.contains("+") && !query.contains(" "))
    }
}

@Suite("Dot segments")
struct DotSegmentTests {
    @Test("a serial of . or .. survives browsers' path normalisation")
    func dots() throws {
        #expect(PercentEncoding.encodePathSegment(".") == "%2E")
        #expect(PercentEncoding.encodePathSegment("..") == "%2E%2E")
        #expect(PercentEncoding.encodePathSegment("a.b") == "a.b")
        let link = DigitalLink(gtin: GTIN("03760123450003")!, serial: "..")
        #expect(link.path == "/01/03760123450003/21/%2E%2E")
        #expect(try DigitalLinkParser.parse(path: link.path) == link)
    }
}
