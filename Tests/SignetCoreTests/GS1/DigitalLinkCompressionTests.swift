import Testing
@testable import SignetCore

/// An uncompressed URI, what compressing it must give, and what decompressing that must give back
/// (the canonical form: numeric AIs, GTIN-14, qualifiers in the path in order).
struct DigitalLinkCompressionExample: Sendable, CustomTestStringConvertible {
    let uncompressed: String
    let compressed: String
    let canonical: String
    let options: DigitalLinkCompression.Options

    init(_ uncompressed: String, _ compressed: String, canonical: String? = nil, options: DigitalLinkCompression.Options = .init()) {
        self.uncompressed = uncompressed
        self.compressed = compressed
        self.canonical = canonical ?? uncompressed
        self.options = options
    }

    var testDescription: String { uncompressed }
}

@Suite("GS1 Digital Link compression")
struct DigitalLinkCompressionTests {
    typealias Example = DigitalLinkCompressionExample
    static let optimised = DigitalLinkCompression.Options(usesOptimisations: true)
    static let partial = DigitalLinkCompression.Options(keepsPrimaryKeyUncompressed: true)
    static let otherParametersCompressed = DigitalLinkCompression.Options(compressesOtherQueryParameters: true)

    /// Published in the test features of the .NET port of the reference implementation
    /// (Solidsoft-Reply/Gs1DigitalLinkLib, Tests/Features/CompressGs1DigitalLink.feature,
    /// DecompressGs1DigitalLink.feature, AdditionalUriContent.feature), and each also reproduced by
    /// running GS1's reference (GS1DigitalLinkCompressionPrototype, src/GS1DigitalLinkToolkit.js).
    static let publishedExamples: [Example] = [
        // SSCC, GTIN with every combination of its key qualifiers.
        .init("https://id.gs1.org/00/998440410914660971", "https://id.gs1.org/AN2yxDhfaiaw"),
        .init("https://id.gs1.org/01/05412345000013", "https://id.gs1.org/AQnYUc1gmg"),
        .init("https://id.gs1.org/01/05412345000013/10/ABC123", "https://id.gs1.org/AQnYUc1gmiCNV4JG"),
        .init("https://id.gs1.org/01/05412345000013/10/ABC123/21/72292641703", "https://id.gs1.org/AQnYUc1gmiCNV4JGQhcNT6K6c"),
        .init(
            "https://id.gs1.org/01/05412345000013/22/AJY3095721P49/10/ABC123/21/72292641703",
            "https://id.gs1.org/AQnYUc1gmiCNV4JGQhcNT6K6cibQCWN9Pee9tT-PQ"
        ),
        .init("https://id.gs1.org/01/05412345000013/22/AJY3095721P49/10/ABC123", "https://id.gs1.org/AQnYUc1gmiCNV4JGRNoBLG-nvPe2p_Ho"),
        .init("https://id.gs1.org/01/05412345000013/21/72292641703", "https://id.gs1.org/AQnYUc1gmkIXDU-iun"),
        .init(
            "https://id.gs1.org/01/05412345000013/22/AJY3095721P49/21/72292641703",
            "https://id.gs1.org/AQnYUc1gmkIXDU-iunIm0AljfT3nvbU_j0"
        ),
        .init("https://id.gs1.org/01/05412345000013/22/AJY3095721P49", "https://id.gs1.org/AQnYUc1gmkTaASxvp7z3tqfx6"),
        // The other primary keys.
        .init("https://id.gs1.org/253/3060077601309", "https://id.gs1.org/JTLIetaiHYA"),
        .init("https://id.gs1.org/255/5678409730535", "https://id.gs1.org/JVUqG5hJ5wA"),
        .init("https://id.gs1.org/401/0541234537290A41%26GHpp33", "https://id.gs1.org/QBl2DVoxZM2jVm3ZOWEFoxTR5HDgzZg"),
        .init("https://id.gs1.org/402/21173492661712079", "https://id.gs1.org/QCJZyW9mC6Z4"),
        .init("https://id.gs1.org/414/5060917510004", "https://id.gs1.org/QUSaVjC_dA"),
        .init("https://id.gs1.org/414/5060917510004/254/RP56J920471", "https://id.gs1.org/JUa0T-eifdtOO9UFEmlYwv3Q"),
        .init("https://id.gs1.org/415/5060917510004", "https://id.gs1.org/QVSaVjC_dA"),
        .init("https://id.gs1.org/8003/04965031954585", "https://id.gs1.org/gAMJCAXukTMA"),
        .init("https://id.gs1.org/8004/0541234537290A41%26GHpp33", "https://id.gs1.org/gASXYNWjFkzaNWbdk5YQWjFNHkcODNm"),
        .init("https://id.gs1.org/8006/054123450000130201", "https://id.gs1.org/gAYMBI_bNGwJk"),
        .init(
            "https://id.gs1.org/8006/054123450000130201/22/AJY3095721P49/10/ABC123/21/72292641703",
            "https://id.gs1.org/EEarwSMhC4an0V05E2gEsb6e897an8ewAMGAkftmjYEy"
        ),
        .init("https://id.gs1.org/8006/054123450000130201/10/ABC123/21/72292641703", "https://id.gs1.org/EEarwSMhC4an0V08ADBgJH7Zo2BMg"),
        .init(
            "https://id.gs1.org/8006/054123450000130201/22/AJY3095721P49/10/ABC123",
            "https://id.gs1.org/EEarwSMibQCWN9Pee9tT-PYAGDASP2zRsCZ"
        ),
        .init("https://id.gs1.org/8006/054123450000130201/10/ABC123", "https://id.gs1.org/EEarwSOABgwEj9s0bAmQ"),
        .init("https://id.gs1.org/8006/054123450000130201/22/AJY3095721P49", "https://id.gs1.org/Im0AljfT3nvbU_j2ABgwEj9s0bAmQ"),
        .init(
            "https://id.gs1.org/8006/054123450000130201/22/AJY3095721P49/21/72292641703",
            "https://id.gs1.org/IQuGp9FdORNoBLG-nvPe2p_HsADBgJH7Zo2BMg"
        ),
        .init("https://id.gs1.org/8006/054123450000130201/21/72292641703", "https://id.gs1.org/IQuGp9FdPAAwYCR-2aNgTI"),
        .init("https://id.gs1.org/8010/0541234537290A41%23GH33", "https://id.gs1.org/gBCVYNWjFkzaNWbdk5YQWjFHHkM2Y"),
        .init(
            "https://id.gs1.org/8010/0541234537290A41%23GH33/8011/6639047221",
            "https://id.gs1.org/gBCVYNWjFkzaNWbdk5YQWjFHHkM2cAI0xdvpGo"
        ),
        .init("https://id.gs1.org/8017/817019610850151481", "https://id.gs1.org/gBe1ajAd9ATDk"),
        .init("https://id.gs1.org/8017/817019610850151481/8019/4003812", "https://id.gs1.org/gBe1ajAd9ATDmAGXPRfk"),
        .init("https://id.gs1.org/8018/411369833821910265", "https://id.gs1.org/gBhbV6rzBENPk"),
        .init("https://id.gs1.org/8018/411369833821910265/8019/4003812", "https://id.gs1.org/gBhbV6rzBENPmAGXPRfk"),
        // Short names and a GTIN-13 in, numeric AIs and GTIN-14 out.
        .init(
            "https://id.gs1.org/gtin/05412345000013/cpv/AJY3095721P49/lot/ABC123/ser/72292641703",
            "https://id.gs1.org/AQnYUc1gmiCNV4JGQhcNT6K6cibQCWN9Pee9tT-PQ",
            canonical: "https://id.gs1.org/01/05412345000013/22/AJY3095721P49/10/ABC123/21/72292641703"
        ),
        .init(
            "https://id.gs1.org/gln/5060917510004/glnx/RP56J920471", "https://id.gs1.org/JUa0T-eifdtOO9UFEmlYwv3Q",
            canonical: "https://id.gs1.org/414/5060917510004/254/RP56J920471"
        ),
        // Data attributes in the query, other query parameters kept, a path before the primary key, a fragment.
        .init(
            "https://id.gs1.org/01/05412345000013/10/ABC123?17=290331&arv=true&donor=bmgf",
            "https://id.gs1.org/AQnYUc1gmiCNV4JGLo3DY?arv=true&donor=bmgf"
        ),
        .init(
            "https://id.gs1.org/01/5412345000013/10/ABC123?17=290331&arv=true&donor=bmgf",
            "https://id.gs1.org/AQnYUc1gmiCNV4JGLo3DY?arv=true&donor=bmgf",
            canonical: "https://id.gs1.org/01/05412345000013/10/ABC123?17=290331&arv=true&donor=bmgf"
        ),
        .init(
            "https://id.gs1.org/patientinfo/01/05060917510011?context=UK&11=241016&7004=3#chapter1",
            "https://id.gs1.org/patientinfo/AQk0rGF-9iJ1rw4AhM?context=UK#chapter1",
            canonical: "https://id.gs1.org/patientinfo/01/05060917510011?11=241016&7004=3&context=UK#chapter1"
        ),
        // Partially compressed: the primary key stays readable.
        .init("https://id.gs1.org/01/05412345000013/10/ABC123", "https://id.gs1.org/01/05412345000013/EEarwSM", options: partial),
        .init(
            "https://id.gs1.org/01/05412345000013/22/AJY3095721P49/10/ABC123/21/72292641703",
            "https://id.gs1.org/01/05412345000013/EEarwSMhC4an0V05E2gEsb6e897an8eg", options: partial
        ),
        .init(
            "https://id.gs1.org/414/5060917510004/254/RP56J920471", "https://id.gs1.org/414/5060917510004/JUa0T-eifdtOO9Q",
            options: partial
        ),
        .init(
            "https://id.gs1.org/8017/817019610850151481/8019/4003812", "https://id.gs1.org/8017/817019610850151481/gBlz0X5A",
            options: partial
        ),
        .init("https://id.gs1.org/00/998440410914660971", "https://id.gs1.org/00/998440410914660971", options: partial),
        .init(
            "https://id.gs1.org/01/05412345000013/10/ABC123?17=290331&arv=true&donor=bmgf",
            "https://id.gs1.org/01/05412345000013/EEarwSMXRuGw?arv=true&donor=bmgf", options: partial
        ),
        // Other query parameters inside the compressed data.
        .init(
            "https://id.gs1.org/01/05412345000013/10/ABC123?17=290331&arv=true&donor=bmgf",
            "https://id.gs1.org/AQnYUc1gmiCNV4JGLo3Dfg2q72Etrue8K7RPRWwjc0D4", options: otherParametersCompressed
        ),
        .init(
            "https://id.gs1.org/01/05412345000013/10/ABC123?17=290331&arv=true&donor=bmgf",
            "https://id.gs1.org/01/05412345000013/EEarwSMXRuG_BtV3sJbXc94V2ieithG5oHw",
            options: .init(compressesOtherQueryParameters: true, keepsPrimaryKeyUncompressed: true)
        ),
    ]

    /// Also from the .NET port's features, for AIs the reference cannot compress (235, 7040 and 417 are
    /// missing from its AI table, 8013 is no primary key there); `applicationIdentifiers` lists why.
    static let publishedExamplesBeyondReference: [Example] = [
        .init("https://id.gs1.org/01/05412345000013/235/8TFV883a904GH%263", "https://id.gs1.org/AQnYUc1gmkax7ipGrOHDPC5YNI8hMz"),
        .init(
            "https://id.gs1.org/01/05412345000013/235/8TFV883a904GH%263", "https://id.gs1.org/01/05412345000013/I1j3FSNWcOGeFywaR5CZm",
            options: partial
        ),
        .init("https://id.gs1.org/414/5060917510004/7040/5KFX", "https://id.gs1.org/QUSaVjC_dHBAVlCrg"),
        .init("https://id.gs1.org/417/5060917510004", "https://id.gs1.org/QXSaVjC_dA"),
        .init("https://id.gs1.org/417/5060917510004/7040/5KFX", "https://id.gs1.org/QXSaVjC_dHBAVlCrg"),
        .init("https://id.gs1.org/417/5060917510004/7040/5KFX", "https://id.gs1.org/417/5060917510004/cEBWUKu", options: partial),
        .init("https://id.gs1.org/8004/0541234537290A41%26GHpp33/7040/7BVR", "https://id.gs1.org/cEB2CqjAAkuwatGLJm0as27JywgtGKaPI4cGbM"),
        .init("https://id.gs1.org/8013/5060917511473062B98T", "https://id.gs1.org/gBN05060917511473062B98T"),
    ]

    /// Published in the tests of the Python port (Trust-Codes-Ltd/gs1-compression,
    /// tests/compress/test_central_functions.py), reproduced with the reference.
    static let pythonPortExamples: [Example] = [
        .init(
            "https://id.gs1.org/gtin/9421902960055/lot/2010005828/ser/xyz1234", "https://id.gs1.org/AREjalurbiAUO-cgohCz45Z67b8A",
            canonical: "https://id.gs1.org/01/09421902960055/10/2010005828/21/xyz1234"
        ),
        .init(
            "https://id.gs1.org/01/05412345000013/10/ABC%26%2B123?7003=1903061658&k1=v1",
            "https://id.gs1.org/AQnYUc1gmiERBhQ0ytiyZuAGOLc1TXgpNWCv1", options: otherParametersCompressed
        ),
    ]

    /// Output of the reference (GS1DigitalLinkToolkit.js at commit 21a894b, compressGS1DigitalLink with
    /// the URI's scheme and host as stem), for what the published examples do not cover.
    static let referenceOutputExamples: [Example] = [
        // GTIN + lot + serial + expiry, plain and with the optimisation 1A (01, 10, 21, 17).
        .init(
            "https://id.example.com/01/09520123456788/10/ABC1/21/12345?17=201225", "https://id.example.com/ARFRJydaKCCJV4IuYkEkIKMDk"
        ),
        .init(
            "https://id.example.com/01/09520123456788/10/ABC1/21/12345?17=201225", "https://id.example.com/GhFRJydaKIlXggowOTEgk",
            options: optimised
        ),
        // A serial in each encoding: numeric, lowercase hex, uppercase hex, base64url, 7-bit ASCII.
        .init("https://id.example.com/01/09520123456788/21/12345", "https://id.example.com/ARFRJydaKEIKMDk"),
        .init("https://id.example.com/01/09520123456788/21/abc123", "https://id.example.com/ARFRJydaKEJNV4JG"),
        .init("https://id.example.com/01/09520123456788/21/ABC123", "https://id.example.com/ARFRJydaKEKNV4JG"),
        .init("https://id.example.com/01/09520123456788/21/Ab-_9x", "https://id.example.com/ARFRJydaKELMA39_7i"),
        .init("https://id.example.com/01/09520123456788/21/A%2FB%26c%2B1", "https://id.example.com/ARFRJydaKEMPBXwk2NWx"),
        // SSCC; GLN with extension, plain and with the optimisation 9D; a GIAI with a slash.
        .init("https://id.example.com/00/106141412345678908", "https://id.example.com/ABeRcNWtKMPA"),
        .init("https://id.example.com/414/9520123456788/254/32a%2Fb", "https://id.example.com/JUhWbLCvxIKRUScnWig"),
        .init("https://id.example.com/414/9520123456788/254/32a%2Fb", "https://id.example.com/nYqJOTrRSFZssK_E", options: optimised),
        .init("https://id.example.com/8004/952012345ASSET%2F7", "https://id.example.com/gASQctWTBiyZtGsGnTi1F7c"),
        // Dates, a weight, a price and an expiry date-time; optimised, the first entry saving as much wins (0E).
        .init(
            "https://id.example.com/01/09520123456788/10/LOT7?11=240101&13=240102&15=250101&16=250201&3103=000750&3922=1299&7003=2512312359",
            "https://id.example.com/ARFRJydaKCDIWcn2InU8omdTzCp6HqLHorJiBgBdxyRIKJuAGSt9sE4"
        ),
        .init(
            "https://id.example.com/01/09520123456788/10/LOT7?11=240101&13=240102&15=250101&16=250201&3103=000750&3922=1299&7003=2512312359",
            "https://id.example.com/DhFRJydaKErfbBOIMhZyfYidTyiZ1PMKnoeoseismIGAF3HJEgom", options: optimised
        ),
        .init("https://id.example.com/01/09520123456788/10/LOT7?15=250101", "https://id.example.com/HxFRJydaKMhZyfZ6Hq", options: optimised),
        .init("https://id.example.com/01/09520123456788?3103=000750", "https://id.example.com/LRFRJydaKABdw", options: optimised),
        .init("https://id.example.com/255/9520123456788123?3900=1500", "https://id.example.com/wIqJOTrRQx7QXc", options: optimised),
        // A query parameter passed through (not re-encoded), and one compressed.
        .init(
            "https://id.example.com/01/09520123456788/10/ABC1?linkType=gs1:pip&17=201225",
            "https://id.example.com/ARFRJydaKCCJV4IuYkEg?linkType=gs1:pip",
            canonical: "https://id.example.com/01/09520123456788/10/ABC1?17=201225&linkType=gs1:pip"
        ),
        .init(
            "https://id.example.com/01/09520123456788/10/ABC1?linkType=pip&17=201225",
            "https://id.example.com/ARFRJydaKCCJV4IuYkE-IlinkTypeYOmKk",
            canonical: "https://id.example.com/01/09520123456788/10/ABC1?17=201225&linkType=pip",
            options: otherParametersCompressed
        ),
    ]

    static let allExamples = publishedExamples + publishedExamplesBeyondReference + pythonPortExamples + referenceOutputExamples

    @Test("compresses to the published string", arguments: allExamples)
    func compresses(_ example: Example) throws {
        #expect(try DigitalLinkCompression.compress(example.uncompressed, options: example.options) == example.compressed)
    }

    @Test("decompresses to the canonical uncompressed URI", arguments: allExamples)
    func decompresses(_ example: Example) throws {
        // A partially compressed example without anything after the key is just an uncompressed URI.
        guard example.compressed != example.canonical else {
            #expect(throws: DigitalLinkCompressionError.notCompressed) { try DigitalLinkCompression.decompress(example.compressed) }
            return
        }
        #expect(try DigitalLinkCompression.decompress(example.compressed) == example.canonical)
        #expect(DigitalLinkCompression.isCompressed(example.compressed))
        #expect(!DigitalLinkCompression.isCompressed(example.uncompressed))
    }

    @Test("round trip with every combination of options", arguments: allExamples)
    func roundTrips(_ example: Example) throws {
        for optimising in [false, true] {
            for compressingOthers in [false, true] {
                for keepingKey in [false, true] {
                    let options = DigitalLinkCompression.Options(
                        usesOptimisations: optimising, compressesOtherQueryParameters: compressingOthers, keepsPrimaryKeyUncompressed: keepingKey
                    )
                    let compressed = try DigitalLinkCompression.compress(example.uncompressed, options: options)
                    if compressed == example.canonical { continue }  // a lone primary key kept uncompressed
                    #expect(try DigitalLinkCompression.decompress(compressed) == example.canonical, "\(options)")
                }
            }
        }
    }

    @Test("each alphanumeric encoding is chosen as the reference chooses it")
    func encodingIndicators() {
        typealias Indicator = DigitalLinkCompression.EncodingIndicator
        let expected: [(String, Indicator)] = [
            ("12345", .numeric), ("0042", .numeric), ("ABC123", .uppercaseHexadecimal), ("123abc", .lowercaseHexadecimal),
            ("ABC", .uppercaseHexadecimal), ("abc", .lowercaseHexadecimal), ("aB", .base64URL), ("Ab-_9x", .base64URL),
            ("A/B&c+1", .ascii), ("", .ascii),
        ]
        for (value, indicator) in expected {
            #expect(Indicator(for: Array(value.utf8)) == indicator, "\(value)")
        }
    }

    @Test("leading zeros of numeric values survive (the reference drops them when decoding)")
    func leadingZeros() throws {
        // The reference writes the same bits but reads them back as 21/42 and 3910=97850.
        let compressed = try DigitalLinkCompression.compress("https://id.example.com/01/09520123456788/21/0042?8008=24010112&3910=9780050")
        #expect(compressed == "https://id.example.com/ARFRJydaKEIIAVHIh6SAGUAEFuXYAA")
        #expect(try DigitalLinkCompression.decompress(compressed) == "https://id.example.com/01/09520123456788/21/0042?3910=9780050&8008=24010112")
    }

    @Test("the URI around the compressed segment")
    func surroundings() throws {
        #expect(try DigitalLinkCompression.compress("/01/05412345000013") == "/AQnYUc1gmg")
        #expect(try DigitalLinkCompression.compress("id.gs1.org/gtin/5412345000013/") == "id.gs1.org/AQnYUc1gmg")
        #expect(try DigitalLinkCompression.compress("HTTPS://ID.GS1.ORG/a/b/01/05412345000013") == "HTTPS://ID.GS1.ORG/a/b/AQnYUc1gmg")
        #expect(try DigitalLinkCompression.decompress("/AQnYUc1gmg") == "/01/05412345000013")
        #expect(try DigitalLinkCompression.decompress("AQnYUc1gmg") == "/01/05412345000013")
        #expect(try DigitalLinkCompression.decompress("https://id.gs1.org/AQnYUc1gmg/") == "https://id.gs1.org/01/05412345000013")
        #expect(try DigitalLinkCompression.decompress("https://id.gs1.org/AQnYUc1gmg?exp=290331") == "https://id.gs1.org/01/05412345000013?17=290331")
        // An empty lot cannot be a path segment.
        let emptyLot = try DigitalLinkCompression.compress("https://id.gs1.org/01/05412345000013?10=")
        #expect(try DigitalLinkCompression.decompress(emptyLot) == "https://id.gs1.org/01/05412345000013?10=")
        // A path segment before the key that looks like a key is part of the stem.
        #expect(try DigitalLinkCompression.compress("https://x.example/414/01/05412345000013") == "https://x.example/414/AQnYUc1gmg")
    }

    @Test("other primary key AIs in the query are data attributes")
    func otherPrimaryKeysInQuery() throws {
        // The reference writes the same bits, but reads them back as 414/9520123456788?8013=GMN123, the GTIN lost.
        let compressed = try DigitalLinkCompression.compress("https://id.example.com/01/09520123456788?8013=GMN123&414=9520123456788")
        #expect(compressed == "https://id.example.com/ARFRJydaKIKRUScnWikAJswxhuu24")
        #expect(try DigitalLinkCompression.decompress(compressed) == "https://id.example.com/01/09520123456788?414=9520123456788&8013=GMN123")
    }

    @Test("the standard's heuristic for compressed paths")
    func heuristic() {
        #expect(DigitalLinkCompression.isCompressed("https://id.gs1.org/AQnYUc1gmg"))
        #expect(DigitalLinkCompression.isCompressed("https://id.gs1.org/01/05412345000013/EEarwSM"))
        #expect(DigitalLinkCompression.isCompressed("/AQnYUc1gmg"))
        #expect(!DigitalLinkCompression.isCompressed("https://id.gs1.org/01/05412345000013"))
        #expect(!DigitalLinkCompression.isCompressed("https://id.gs1.org/01/05412345000013/10/ABC123?17=290331"))
        #expect(!DigitalLinkCompression.isCompressed("https://id.gs1.org/01/05412345000013/10/A%2FB"))
        #expect(!DigitalLinkCompression.isCompressed("https://id.gs1.org/AQnYUc1gmg.html"))
        #expect(!DigitalLinkCompression.isCompressed("https://id.gs1.org"))
        #expect(!DigitalLinkCompression.isCompressed(""))
    }

    @Test("invalid input gives the matching error")
    func errors() {
        let compressCases: [(String, DigitalLinkCompressionError)] = [
            ("", .emptyInput),
            ("https://id.gs1.org/", .notADigitalLink),
            ("https://id.gs1.org/about/us", .notADigitalLink),
            ("https://id.gs1.org/01/05412345000014", .invalidCheckDigit(applicationIdentifier: "01", value: "05412345000014")),
            ("https://id.gs1.org/00/998440410914660972", .invalidCheckDigit(applicationIdentifier: "00", value: "998440410914660972")),
            ("https://id.gs1.org/01/05412345000", .invalidValue(applicationIdentifier: "01", value: "05412345000")),
            ("https://id.gs1.org/01/0541234500001", .invalidCheckDigit(applicationIdentifier: "01", value: "00541234500001")),
            ("https://id.gs1.org/01/05412345000013/10/ABCDEFGHIJKLMNOPQRSTU", .invalidValue(applicationIdentifier: "10", value: "ABCDEFGHIJKLMNOPQRSTU")),
            ("https://id.gs1.org/01/05412345000013/10/A%23B", .invalidValue(applicationIdentifier: "10", value: "A#B")),
            ("https://id.gs1.org/01/05412345000013/10/%C3%A9", .invalidValue(applicationIdentifier: "10", value: "é")),
            ("https://id.gs1.org/01/05412345000013/10/A%2", .invalidPercentEncoding("A%2")),
            ("https://id.gs1.org/01/05412345000013/10/%FF", .invalidPercentEncoding("%FF")),
            ("https://id.gs1.org/01/05412345000013/21/S1/10/L1", .qualifierNotAllowed(primaryKey: "01", qualifier: "10")),
            ("https://id.gs1.org/01/05412345000013/17/290331", .qualifierNotAllowed(primaryKey: "01", qualifier: "17")),
            ("https://id.gs1.org/01/05412345000013/10/L1?10=L2", .duplicateApplicationIdentifier("10")),
            ("https://id.gs1.org/01/05412345000013?9999=1", .unknownApplicationIdentifier("9999")),
            ("https://id.gs1.org/01/05412345000013?17=2903", .invalidValue(applicationIdentifier: "17", value: "2903")),
            ("https://id.gs1.org/01/05412345000013?8007=" + String(repeating: "A", count: 32), .valueTooLongToCompress(key: "8007")),
        ]
        for (uri, error) in compressCases {
            #expect(throws: error, "\(uri)") { try DigitalLinkCompression.compress(uri) }
        }
        let otherParameterCases: [(String, DigitalLinkCompressionError)] = [
            ("https://id.gs1.org/01/05412345000013?a.b=1", .invalidParameterKey("a.b")),
            ("https://id.gs1.org/01/05412345000013?=1", .invalidParameterKey("")),
            ("https://id.gs1.org/01/05412345000013?k=%C3%A9", .invalidParameterValue(key: "k")),
            ("https://id.gs1.org/01/05412345000013?k=" + String(repeating: "v", count: 128), .valueTooLongToCompress(key: "k")),
        ]
        for (uri, error) in otherParameterCases {
            #expect(throws: error, "\(uri)") { try DigitalLinkCompression.compress(uri, options: Self.otherParametersCompressed) }
        }
        let decompressCases: [(String, DigitalLinkCompressionError)] = [
            ("", .emptyInput),
            ("https://id.gs1.org/01/05412345000013", .notCompressed),
            ("https://id.gs1.org/about.html", .notCompressed),
            ("https://id.gs1.org/AQnYUc1g", .truncatedData),
            ("https://id.gs1.org/AAAA", .truncatedData),
            // 00000101: AI keys never start 05.
            ("https://id.gs1.org/BQnYUc1gmg", .undefinedCode("05")),
            // 1011 0001: no optimisation B1, and B is no flag.
            ("https://id.gs1.org/sQnYUc1gmg", .undefinedCode("B1")),
            // 0010 0011 0000: AIs starting 23 have three digits, and 230 is unassigned.
            ("https://id.gs1.org/IwnYUc1gmg", .unknownApplicationIdentifier("230")),
            // AI 10, then indicator 101.
            ("https://id.gs1.org/EK_YUc1gmg", .invalidEncodingIndicator(5)),
            // AI 01, then 47 one bits: more than 14 digits.
            ("https://id.gs1.org/Af__________", .numberTooLarge(digits: 14)),
            // Lot 10/ABC123 alone.
            ("https://id.gs1.org/EEarwSM", .missingPrimaryKey),
            ("https://id.gs1.org/AQnYUc1gmg?01=05412345000013", .duplicateApplicationIdentifier("01")),
            ("https://id.gs1.org/AQnYUc1gmg?9999=1", .unknownApplicationIdentifier("9999")),
        ]
        for (uri, error) in decompressCases {
            #expect(throws: error, "\(uri)") { try DigitalLinkCompression.decompress(uri) }
        }
    }

    /// Compressed data the encoder would never write, built AI by AI.
    private static func compressedData(_ elements: [(code: String, value: String)]) throws -> String {
        var writer = DigitalLinkCompression.BitWriter()
        for (code, value) in elements {
            for digit in code { writer.append(digit.hexDigitValue ?? 0, width: 4) }
            let definition = try #require(DigitalLinkCompression.applicationIdentifiers[code])
            try DigitalLinkCompression.appendValue(value, of: definition, to: &writer)
        }
        return "https://id.gs1.org/" + writer.base64URL
    }

    @Test("compressed data is checked like uncompressed input")
    func invalidCompressedContent() throws {
        #expect(throws: DigitalLinkCompressionError.invalidCheckDigit(applicationIdentifier: "01", value: "05412345000014")) {
            try DigitalLinkCompression.decompress(Self.compressedData([("01", "05412345000014")]))
        }
        // Of two primary keys, one is primary and the other a data attribute: the one with its qualifiers,
        // then one the reference knows as primary key, then the first in the data.
        let twoKeys: [([(code: String, value: String)], String)] = [
            ([("01", "05412345000013"), ("00", "998440410914660971")], "01/05412345000013?00=998440410914660971"),
            ([("01", "05412345000013"), ("414", "5060917510004")], "01/05412345000013?414=5060917510004"),
            ([("01", "05412345000013"), ("10", "L1"), ("414", "5060917510004")], "01/05412345000013/10/L1?414=5060917510004"),
            ([("8013", "GMN1"), ("8017", "513135066806044242")], "8017/513135066806044242?8013=GMN1"),
            ([("417", "5060917510004"), ("8013", "GMN1")], "417/5060917510004?8013=GMN1"),
        ]
        for (elements, expected) in twoKeys {
            #expect(try DigitalLinkCompression.decompress(Self.compressedData(elements)) == "https://id.gs1.org/" + expected)
        }
        #expect(throws: DigitalLinkCompressionError.duplicateApplicationIdentifier("10")) {
            try DigitalLinkCompression.decompress(Self.compressedData([("01", "05412345000013"), ("10", "A"), ("10", "B")]))
        }
        // 7-bit ASCII can carry characters no AI allows.
        #expect(throws: DigitalLinkCompressionError.invalidValue(applicationIdentifier: "10", value: "A B")) {
            try DigitalLinkCompression.decompress(Self.compressedData([("01", "05412345000013"), ("10", "A B")]))
        }
        // A qualifier of another key goes to the query rather than being lost, as the reference loses it.
        #expect(
            try DigitalLinkCompression.decompress(Self.compressedData([("01", "05412345000013"), ("254", "X1")]))
                == "https://id.gs1.org/01/05412345000013?254=X1"
        )
    }

    /// Whatever decodes must be a link that compresses and decodes back to the same text.
    /// Returns whether `uri` decoded.
    @discardableResult
    private static func expectConsistentIfDecodable(_ uri: String) throws -> Bool {
        guard let uncompressed = try? DigitalLinkCompression.decompress(uri) else { return false }
        let recompressed = try DigitalLinkCompression.compress(uncompressed)
        #expect(try DigitalLinkCompression.decompress(recompressed) == uncompressed, "\(uri)")
        return true
    }

    @Test("hostile input gives errors, never a crash, and whatever decodes is consistent")
    func hostileInput() throws {
        var random = SeededRandom(seed: 0x5167_4E45_5444_4C43)
        func pick<T>(_ elements: [T]) -> T { elements[Int(random.next() % UInt64(elements.count))] }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let uriCharacters = Array("ABCabc0123456789-_/?&=%#;:.~ é") + alphabet
        let validCompressed = try Self.allExamples.map { try DigitalLinkCompression.compress($0.uncompressed, options: $0.options) }
        var decodedCount = 0
        for round in 0..<4000 {
            // Random base64url, alone and after an uncompressed primary key.
            let segment = String((0..<Int(random.next() % 60)).map { _ in pick(alphabet) })
            let uri = round.isMultiple(of: 2) ? "https://id.example.com/" + segment : "/01/05412345000013/" + segment
            _ = DigitalLinkCompression.isCompressed(uri)
            if try Self.expectConsistentIfDecodable(uri) { decodedCount += 1 }

            // A valid compressed URI with one character changed.
            var mutated = Array(pick(validCompressed))
            mutated[Int(random.next() % UInt64(mutated.count))] = pick(alphabet)
            if try Self.expectConsistentIfDecodable(String(mutated)) { decodedCount += 1 }

            // Arbitrary text, both ways.
            let noise = String((0..<Int(random.next() % 80)).map { _ in pick(uriCharacters) })
            _ = try? DigitalLinkCompression.compress(noise)
            _ = try? DigitalLinkCompression.compress("https://id.example.com/01/05412345000013/" + noise)
            _ = try? DigitalLinkCompression.decompress(noise)
            _ = DigitalLinkCompression.isCompressed(noise)
        }
        #expect(decodedCount > 100)
    }

    @Test("every prefix of compressed data is an error or a consistent shorter link")
    func truncatedData() throws {
        for example in Self.allExamples {
            let compressed = try DigitalLinkCompression.compress(example.uncompressed, options: example.options)
            for cut in 0..<compressed.count {
                try Self.expectConsistentIfDecodable(String(compressed.prefix(cut)))
            }
        }
    }

    @Test("bit counts match the reference's floating-point formulas")
    func bitCounts() {
        typealias Binary = DigitalLinkCompression.DecimalBinary
        #expect(Binary.valueBitCount(digits: 0) == 1)
        #expect(Binary.valueBitCount(digits: 6) == 20)
        #expect(Binary.valueBitCount(digits: 14) == 47)
        #expect(Binary.valueBitCount(digits: 18) == 60)
        #expect(Binary.valueBitCount(digits: 59) == 197)
        #expect(Binary.lengthBitCount(maximumLength: 20) == 5)
        #expect(Binary.lengthBitCount(maximumLength: 32) == 6)
        #expect(Binary.lengthBitCount(maximumLength: 90) == 7)
        #expect(Binary.lengthBitCount(maximumLength: 127) == 7)
    }

    @Test("the AI tables agree with each other")
    func tablesAreConsistent() {
        let table = DigitalLinkCompression.applicationIdentifiers
        #expect(table.count == 519)
        for (code, entry) in table {
            #expect(entry.code == code)
            #expect(DigitalLinkCompression.applicationIdentifierLengthByPrefix[String(code.prefix(2))] == code.count, "\(code)")
            for qualifier in entry.qualifiers {
                #expect(table[qualifier]?.role == .keyQualifier, "\(code) → \(qualifier)")
            }
        }
        for optimisation in DigitalLinkCompression.optimisations {
            #expect(optimisation.sequence.allSatisfy { table[$0] != nil }, "\(optimisation.code)")
            #expect(optimisation.code.contains { !$0.isNumber }, "\(optimisation.code)")
        }
    }

    /// SplitMix64, so that the hostile-input test is the same on every run.
    private struct SeededRandom {
        private var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }
}
