import Testing
@testable import SignetCore

@Suite("EPC identifiers")
struct EPCIdentifierTests {
    static let gtin = GTIN("80614141123458")!

    @Test("SSCC and GLN: their length and check digit, like GTIN", arguments: [
        ("106141412345678908", true), ("106141412345678907", false), ("10614141234567890", false), ("1061414123456789O8", false),
    ])
    func sscc(_ text: String, _ valid: Bool) {
        #expect((SSCC(text) != nil) == valid)
    }

    @Test("GLN", arguments: [("0614141123452", true), ("0614141123453", false), ("614141123452", false)])
    func gln(_ text: String, _ valid: Bool) {
        #expect((GLN(text) != nil) == valid)
    }

    @Test("the Tag Data Standard's URN examples and their Digital Link forms name the same thing", arguments: [
        ("urn:epc:id:sgtin:0614141.812345.6789", "https://id.gs1.org/01/80614141123458/21/6789"),
        ("urn:epc:id:sgtin:0614141.812345.A%2FB", "https://example.com/01/80614141123458/21/A%2FB?linkType=all"),
        ("urn:epc:idpat:sgtin:0614141.812345.*", "/01/80614141123458"),
        ("urn:epc:class:lgtin:4012345.012345.998877", "https://brand.example/01/04012345123456/10/998877"),
        ("urn:epc:id:sscc:0614141.1234567890", "https://id.gs1.org/00/106141412345678908"),
        ("urn:epc:id:sgln:0614141.12345.400", "https://id.gs1.org/414/0614141123452/254/400"),
        ("urn:epc:id:sgln:0614141.12345.0", "https://id.gs1.org/414/0614141123452"),
        ("urn:epc:id:sgln:061414112345..0", "https://id.gs1.org/414/0614141123452/254/0"),
        ("urn:epc:id:pgln:0614141.12345", "https://id.gs1.org/417/0614141123452"),
        ("urn:epc:id:pgln:061414112345.", "/417/0614141123452"),
        ("urn:epc:id:pgln:4012345.00225", "https://example.com/417/4012345002256?linkType=all"),
    ])
    func bothForms(_ urn: String, _ link: String) throws {
        let fromURN = try #require(EPCIdentifier(urn))
        #expect(EPCIdentifier(link) == fromURN)
        // The stored form reads back as itself.
        #expect(EPCIdentifier(fromURN.digitalLinkURI) == fromURN)
    }

    @Test("what each names")
    func values() {
        #expect(EPCIdentifier("urn:epc:id:sgtin:0614141.812345.A%2FB") == .item(Self.gtin, serial: "A/B"))
        #expect(EPCIdentifier("urn:epc:class:lgtin:4012345.012345.998877") == .lot(GTIN("04012345123456")!, lot: "998877"))
        #expect(EPCIdentifier("urn:epc:id:sscc:0614141.1234567890") == .container(SSCC("106141412345678908")!))
        #expect(EPCIdentifier("urn:epc:id:sgln:0614141.12345.400") == .location(GLN("0614141123452")!, extension: "400"))
        #expect(EPCIdentifier("/01/80614141123458/10/L1/21/S1") == .item(Self.gtin, serial: "S1"))
        #expect(EPCIdentifier("urn:epc:id:pgln:0614141.12345") == .party(GLN("0614141123452")!))
        #expect(EPCIdentifier.party(GLN("0614141123452")!).digitalLinkURI == "https://id.gs1.org/417/0614141123452")
        #expect(EPCIdentifier(".item(Self.gtin, serial: \"A/B\")") == nil)
    }

    @Test("a party and a place with one GLN are different things")
    func partyIsNotLocation() {
        #expect(EPCIdentifier("urn:epc:id:pgln:0614141.12345") != EPCIdentifier("urn:epc:id:sgln:0614141.12345.0"))
    }

    @Test("malformed URNs and links are refused", arguments: [
        "urn:epc:id:sgtin:0614141.812345", "urn:epc:id:sgtin:0614141.81234.6789", "urn:epc:id:sgtin:06141.4181234.56789",
        "urn:epc:id:sgtin:0614141.812345.", "urn:epc:id:sgtin:0614141.812345.a b", "urn:epc:id:sgtin:0614141.812345.%ZZ",
        "urn:epc:idpat:sgtin:0614141.812345.6789", "urn:epc:id:sscc:0614141.123456789", "urn:epc:id:sgln:0614141.1234.0",
        "urn:epc:id:grai:0614141.12345.400", "urn:epc:id:sgtin:abc.812345.6789",
        "https://id.gs1.org/00/106141412345678907", "https://id.gs1.org/01/80614141123457", "https://id.gs1.org/414/0614141123452/254",
        "https://id.gs1.org/8004/1234", "https://id.gs1.org", "ftp://id.gs1.org/00/106141412345678908", "", "/",
        "urn:epc:id:pgln:0614141.1234", "urn:epc:id:pgln:0614141.12345.0", "urn:epc:id:pgln:0614141", "urn:epc:id:pgln:06141.41123456",
        "urn:epc:id:pgln:0614141.1234a", "https://id.gs1.org/417/0614141123453", "https://id.gs1.org/417/0614141123452/254/1",
    ])
    func refused(_ uri: String) {
        #expect(EPCIdentifier(uri) == nil, "\(uri)")
    }
}
