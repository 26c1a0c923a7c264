import Testing
import SignetCore

@Suite("Seal URL")
struct SealURLTests {
    static let key = Array("signet-test-key-0123456789abcdef".utf8)

    @Test("shape with and without a lot")
    func shape() throws {
        let gtin = try #require(GTIN("4006381333931"))
        // Token vector from SealTokenTests (GTIN and serial only; the lot is not signed).
        #expect(SealURL.make(origin: "https://s.example", gtin: gtin, lot: nil, serial: "SN-0001", key: Self.key)
            == "https://s.example/01/04006381333931/21/SN-0001?t=RzhUE9N8lXluMPL_")
        #expect(SealURL.make(origin: "https://s.example", gtin: gtin, lot: "L24", serial: "SN-0001", key: Self.key)
            == "https://s.example/01/04006381333931/10/L24/21/SN-0001?t=RzhUE9N8lXluMPL_")
    }

    @Test("values are escaped and the path parses back")
    func escapedRoundTrip() throws {
        let gtin = try #require(GTIN("96385074"))
        let url = SealURL.make(origin: "https://s.example", gtin: gtin, lot: "L/1", serial: "A?B", key: Self.key)
        let token = SealToken.make(gtin: gtin, serial: "A?B", key: Self.key)
        #expect(url == "https://s.example/01/00000096385074/10/L%2F1/21/A%3FB?t=" + token)
        let path = try #require(url.dropFirst("https://s.example".count).split(separator: "?").first)
        let link = try DigitalLinkParser.parse(path: path)
        #expect(link == DigitalLink(gtin: gtin, lot: "L/1", serial: "A?B"))
    }
}
