import Foundation
import HTTPTypes
import HummingbirdTesting
import SignetCore
import SignetServer
import Testing

/// One test per statement of the GS1-Conformant Resolver standard (1.0/1.1) that applies to Signet,
/// named after it, against the demo brand's honey (GTIN 03760123450003, lot HL2406).
@Suite("GS1-conformant resolver")
struct ResolverConformanceTests {
    static let honey = "/01/03760123450003"
    static let root = "http://scan.test"

    /// The demo's honey with a French and an English safety sheet, a brand page in two contexts, and
    /// an instructions link for lot HL2406 only.
    static func addLinks(_ client: any TestClientProtocol, key: String) async throws {
        for body in [
            #"{"type":"gs1:safetyInfo","href":"https://brand.example/safety-fr.pdf","title":"Fiche de sécurité","languages":["fr"],"media_type":"application/pdf"}"#,
            #"{"type":"gs1:safetyInfo","href":"https://brand.example/safety-en.pdf","title":"Safety sheet","languages":["en"],"media_type":"application/pdf"}"#,
            #"{"type":"https://gs1.org/voc/hasRetailers","href":"https://brand.example/shops/fr","title":"Shops in France","context":"FR"}"#,
            #"{"type":"gs1:hasRetailers","href":"https://brand.example/shops/de","title":"Shops in Germany","context":"DE"}"#,
            #"{"type":"gs1:instructions","href":"https://brand.example/hl2406?src=qr","title":"How to use this harvest","lot":"HL2406"}"#,
        ] {
            let created = try await client.api(.post, "/api/v1/products/03760123450003/links", key: key, json: body)
            #expect(created.status == .created, "\(body): \(created.text)")
        }
    }

    static func linkset(_ response: TestResponse) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        return try #require(object["linkset"] as? [[String: Any]])
    }

    @Test("SHALL support HTTP GET, HEAD and OPTIONS; HEAD and OPTIONS never record a consultation")
    func methods() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let seal = demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00011")
                let head = try await client.execute(uri: seal, method: .head)
                #expect(head.status == .ok)
                #expect(head.body.readableBytes == 0)
                #expect(head.headers[values: .init("Link")!].contains { $0.contains(#"rel="linkset""#) })
                let options = try await client.execute(uri: seal, method: .options, headers: [
                    .origin: "https://till.example", .accessControlRequestMethod: "GET",
                ])
                #expect(options.status == .noContent)
                #expect(options.headers[.init("Allow")!] == "GET, HEAD, OPTIONS")
                for method in ["GET", "HEAD", "OPTIONS"] {
                    #expect(options.headers[.accessControlAllowMethods]?.contains(method) == true)
                }
                #expect(try await demo.consultations().isEmpty)
                let get = try await client.execute(uri: seal, method: .get)
                #expect(get.text.contains(#"data-verdict="genuine_first""#), "HEAD must not have used the first scan")
                #expect(try await demo.consultations().count == 1)
            }
        }
    }

    @Test("SHALL support CORS: every resolver answer, errors included, allows any origin and exposes Link and Location; the portal does not")
    func cors() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                for uri in [Self.honey, Self.honey + "?linkType=linkset", Self.honey + "/10/HL2406?linkType=gs1:recallStatus",
                            Self.honey + "/foo", "/01/03760123450004", "/.well-known/gs1resolver"] {
                    let response = try await client.execute(uri: uri, method: .get, headers: [.origin: "https://till.example"])
                    #expect(response.headers[.accessControlAllowOrigin] == "*", "\(uri)")
                    #expect(response.headers[.accessControlExposeHeaders]?.contains("Link") == true, "\(uri)")
                    #expect(response.headers[.accessControlExposeHeaders]?.contains("Location") == true, "\(uri)")
                }
                let portal = try await client.execute(uri: "/portal/sign-in", method: .get, headers: [.origin: "https://till.example"])
                #expect(portal.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }

    @Test("SHALL extract and syntactically validate the URI and report errors with 400; SHALL NOT use 200 for an error")
    func syntax() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let bad = [
                    Self.honey + "/foo",                      // not a qualifier
                    "/01/03760123450004",                     // wrong check digit
                    Self.honey + "/21/A/10/B",                // qualifiers out of order
                    Self.honey + "/10/A/10/B",                // an AI twice in the path
                    Self.honey + "?10=HL2406",                // a key qualifier in the query
                    Self.honey + "?21=H00001",
                    Self.honey + "?01=03760123450003",        // the primary key again
                    Self.honey + "?17=290331&17=290430",      // a data attribute twice
                    Self.honey + "?17=291340",                // no 13th month
                    Self.honey + "?17=2903",                  // too short
                    Self.honey + "?99999=1",                  // no such AI
                    Self.honey + "?17=29%GG01",               // broken percent-encoding
                ]
                for uri in bad {
                    let response = try await client.execute(uri: uri, method: .get, headers: [.acceptLanguage: "fr"])
                    #expect(response.status == .badRequest, "\(uri) gave \(response.status)")
                    #expect(response.text.contains(try UIStrings.html("error_bad_request_title", .fr)), "\(uri)")
                }
                // Data attributes that are right are read and do not change the page.
                for uri in [Self.honey + "?17=290331", Self.honey + "?15=290300&3103=000250", Self.honey + "/10/HL2406?17=270600"] {
                    let response = try await client.execute(uri: uri, method: .get)
                    #expect(response.status == .ok, "\(uri) gave \(response.status)")
                }
            }
        }
    }

    @Test("SHALL redirect to the requested type of link if available, passing on the query string but never the seal's token")
    func requestedType() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                try await Self.addLinks(client, key: key)
                let lot = try await client.execute(uri: Self.honey + "/10/HL2406?linkType=gs1:instructions&foo=bar", method: .get)
                #expect(lot.status == .temporaryRedirect)
                #expect(lot.headers[.location] == "https://brand.example/hl2406?src=qr&foo=bar")
                // A seal's URI walks up to its lot's link; the token and the tag's message stay here.
                let seal = demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00012")
                let fromSeal = try await client.execute(uri: seal + "&linkType=gs1%3Ainstructions&utm_source=label", method: .get)
                #expect(fromSeal.status == .temporaryRedirect)
                #expect(fromSeal.headers[.location] == "https://brand.example/hl2406?src=qr&utm_source=label")
                let tap = try await client.execute(
                    uri: Self.honey + "/10/HL2406/21/H00012?e=00112233445566778899AABBCCDDEEFF&c=0011223344556677&linkType=gs1:instructions",
                    method: .get)
                #expect(tap.headers[.location] == "https://brand.example/hl2406?src=qr")
                // The full URI of a type is the same type.
                let full = try await client.execute(uri: Self.honey + "?linkType=https://gs1.org/voc/hasRetailers&context=DE", method: .get)
                #expect(full.headers[.location] == "https://brand.example/shops/de?context=DE")
                // Signet's own pages are links too.
                let pip = try await client.execute(uri: seal + "&linkType=gs1:pip", method: .get)
                #expect(pip.headers[.location] == Self.root + Self.honey + "/10/HL2406")
                let recall = try await client.execute(uri: Self.honey + "/10/HL2406?linkType=gs1:recallStatus", method: .get)
                #expect(recall.headers[.location] == Self.root + "/recall-status" + Self.honey + "/10/HL2406")
            }
            #expect(try await demo.consultations().isEmpty, "following links verifies nothing")
        }
    }

    @Test("SHALL return a 404 Not Found message if a link of the requested type is not available")
    func missingType() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                for type in ["gs1:epil", "gs1:nosuchlt", "gs1:defaultLinkMulti", "pip"] {
                    let response = try await client.execute(uri: Self.honey + "?linkType=" + type, method: .get, headers: [.acceptLanguage: "de"])
                    #expect(response.status == .notFound, "\(type)")
                    #expect(response.text.contains(try UIStrings.html("error_not_found_title", .de)))
                }
                // A GTIN no brand owns has no links at all.
                let unknown = try await client.execute(uri: "/01/09506000134352?linkType=linkset", method: .get)
                #expect(unknown.status == .notFound)
            }
        }
    }

    @Test("linkType=linkset, linkType=all and Accept: application/linkset+json return the RFC 9264 linkset of every level up to the GTIN, with the JSON-LD context")
    func linksets() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                try await Self.addLinks(client, key: key)
                let uri = Self.honey + "/10/HL2406/21/H00013"
                let requests: [(String, HTTPFields)] = [
                    (uri + "?linkType=linkset", [:]), (uri + "?linkType=all", [:]),
                    (uri, [.accept: "application/linkset+json"]), (uri + "?t=whatever", [.accept: "text/html;q=0.5, application/linkset+json"]),
                ]
                for (request, headers) in requests {
                    let response = try await client.execute(uri: request, method: .get, headers: headers)
                    #expect(response.status == .ok, "\(request)")
                    #expect(response.headers[.contentType] == "application/linkset+json")
                    let links = response.headers[values: .init("Link")!].joined(separator: ",")
                    #expect(links.contains(#"<https://ref.gs1.org/standards/resolver/linkset-context>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json""#))
                    let entries = try Self.linkset(response)
                    #expect(entries.map { $0["anchor"] as? String } == [
                        Self.root + uri, Self.root + Self.honey + "/10/HL2406", Self.root + Self.honey,
                    ])
                    for entry in entries {
                        // GS1's linkset schema: anchor, itemDescription, full link type URIs, each target with href and title.
                        #expect((entry["itemDescription"] as? String)?.isEmpty == false)
                        for (key, value) in entry where key != "anchor" && key != "itemDescription" {
                            #expect(key.hasPrefix("https://gs1.org/voc/"), "\(key)")
                            for target in try #require(value as? [[String: Any]]) {
                                #expect(Set(target.keys).isSubset(of: ["href", "title", "type", "hreflang", "context"]))
                                #expect(target["href"] is String && target["title"] is String)
                            }
                        }
                        let defaults = try #require(entry["https://gs1.org/voc/defaultLink"] as? [[String: Any]])
                        #expect(defaults.count == 1)
                        #expect(Set(defaults[0].keys) == ["href", "title"], "the default has no optional attributes")
                    }
                    let serial = entries[0], lot = entries[1], product = entries[2]
                    #expect((serial["https://gs1.org/voc/verificationService"] as? [[String: Any]])?.first?["href"] as? String == Self.root + uri)
                    #expect((lot["https://gs1.org/voc/instructions"] as? [[String: Any]])?.first?["href"] as? String == "https://brand.example/hl2406?src=qr")
                    #expect((lot["https://gs1.org/voc/recallStatus"] as? [[String: Any]])?.count == 1)
                    let safety = try #require(product["https://gs1.org/voc/safetyInfo"] as? [[String: Any]])
                    #expect(Set(safety.compactMap { ($0["hreflang"] as? [String])?.first }) == ["fr", "en"])
                    #expect(safety.allSatisfy { $0["type"] as? String == "application/pdf" })
                    #expect((product["https://gs1.org/voc/hasRetailers"] as? [[String: Any]])?.compactMap { ($0["context"] as? [String])?.first } == ["FR", "DE"])
                    #expect((product["https://gs1.org/voc/pip"] as? [[String: Any]])?.first?["href"] as? String == Self.root + Self.honey)
                }
            }
            #expect(try await demo.consultations().isEmpty, "a linkset verifies nothing, even with a token")
        }
    }

    @Test("SHOULD use Accept-Language, MAY use Accept and context to choose among links of one type; undecidable is 300 Multiple Choices")
    func negotiation() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                try await Self.addLinks(client, key: key)
                let safety = Self.honey + "?linkType=gs1:safetyInfo"
                for (language, target) in [("fr-BE,fr;q=0.9", "safety-fr"), ("en-GB", "safety-en"), ("de, en;q=0.5", "safety-en")] {
                    let response = try await client.execute(uri: safety, method: .get, headers: [.acceptLanguage: language])
                    #expect(response.headers[.location] == "https://brand.example/\(target).pdf", "\(language)")
                }
                let german = try await client.execute(uri: safety, method: .get, headers: [.acceptLanguage: "de"])
                #expect(german.status == .multipleChoices)
                #expect(german.headers[.contentType] == "application/linkset+json")
                let offered = try Self.linkset(german).first?["https://gs1.org/voc/safetyInfo"] as? [[String: Any]]
                #expect(offered?.count == 2)
                let retailers = Self.honey + "?linkType=gs1:hasRetailers"
                #expect(try await client.execute(uri: retailers + "&context=FR", method: .get).headers[.location]
                    == "https://brand.example/shops/fr?context=FR")
                #expect(try await client.execute(uri: retailers, method: .get).status == .multipleChoices)
            }
        }
    }

    @Test("SHALL redirect to the default link unless the request says better; Signet's own verification and product pages are served in place")
    func defaults() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                // No default of the brand's: the product page, here, with no redirect.
                let page = try await client.execute(uri: Self.honey, method: .get, headers: [.acceptLanguage: "en"])
                #expect(page.status == .ok && page.text.contains(#"data-verdict="unverified""#))
                // A lot no one registered walks up to the GTIN: never a 404.
                let unknownLot = try await client.execute(uri: Self.honey + "/10/KL8G", method: .get)
                #expect(unknownLot.status == .temporaryRedirect && unknownLot.headers[.location] == Self.root + Self.honey)
                let lot = try await client.execute(uri: Self.honey + "/10/HL2406", method: .get)
                #expect(lot.status == .ok, "a registered lot's page is Signet's own")

                let created = try await client.api(.post, "/api/v1/products/03760123450003/links", key: key, json: """
                    {"type":"gs1:homepage","href":"https://brand.example/honey","title":"Our honey","default":true}
                    """)
                #expect(created.status == .created)
                let redirected = try await client.execute(uri: Self.honey + "?utm=qr", method: .get)
                #expect(redirected.status == .temporaryRedirect)
                #expect(redirected.headers[.location] == "https://brand.example/honey?utm=qr")
                #expect(try await client.execute(uri: Self.honey + "/10/HL2406", method: .get).headers[.location] == "https://brand.example/honey")
                // A seal with its token is verified here whatever the product's default.
                let scan = try await client.execute(uri: demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00014"), method: .get)
                #expect(scan.status == .ok && scan.text.contains(#"data-verdict="genuine_first""#))
            }
            #expect(try await demo.consultations().count == 1)
        }
    }

    @Test("SHOULD expose the link to the linkset in an HTTP Link header, even when redirecting")
    func linkHeader() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let seal = demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00015")
                for (uri, anchor) in [
                    (Self.honey, Self.honey), (Self.honey + "/10/KL8G", Self.honey + "/10/KL8G"), (seal, Self.honey + "/10/HL2406/21/H00015"),
                    (Self.honey + "?linkType=gs1:epil", Self.honey),
                ] {
                    let response = try await client.execute(uri: uri, method: .get)
                    let links = response.headers[values: .init("Link")!]
                    #expect(links.contains("<\(Self.root)\(anchor)?linkType=linkset>; rel=\"linkset\"; type=\"application/linkset+json\""), "\(uri): \(links)")
                    #expect(!links.contains { $0.contains(#"rel="gs1:"#) }, "no legacy link types in Link")
                }
            }
        }
    }

    @Test("compressed URIs are decompressed and resolved like the uncompressed form, with owl:sameAs and no redirect to it")
    func compressed() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let seal = demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00016")
                let compressed = try DigitalLinkCompression.compress(Self.root + seal)
                #expect(!compressed.contains("/01/"))
                let scan = try await client.execute(uri: String(compressed.dropFirst(Self.root.count)), method: .get)
                #expect(scan.status == .ok)
                #expect(scan.text.contains(#"data-verdict="genuine_first""#))
                #expect(scan.headers[values: .init("Link")!].contains("<\(Self.root)\(Self.honey)/10/HL2406/21/H00016>; rel=\"owl:sameAs\""))
                // The token carried inside the compressed data works the same.
                let inside = try DigitalLinkCompression.compress(
                    Self.root + demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00017"),
                    options: .init(compressesOtherQueryParameters: true))
                #expect(!inside.contains("?"))
                let again = try await client.execute(uri: String(inside.dropFirst(Self.root.count)), method: .get)
                #expect(again.text.contains(#"data-verdict="genuine_first""#))
                // Partially compressed: the GTIN readable, the rest compressed.
                let partial = try DigitalLinkCompression.compress(
                    Self.root + Self.honey + "/10/HL2406?17=290331", options: .init(keepsPrimaryKeyUncompressed: true))
                #expect(partial.hasPrefix(Self.root + Self.honey + "/"))
                let linkset = try await client.execute(uri: String(partial.dropFirst(Self.root.count)) + "?linkType=linkset", method: .get)
                #expect(linkset.status == .ok)
                #expect(try Self.linkset(linkset).first?["anchor"] as? String == Self.root + Self.honey + "/10/HL2406")
                // A single segment that does not decompress to a Digital Link is simply not found.
                #expect(try await client.execute(uri: "/AAAAAAAAAAAA", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            }
            #expect(try await demo.consultations().count == 2)
        }
    }

    @Test("SHALL provide a resolver description file at /.well-known/gs1resolver with the supported primary keys and the linkset context")
    func descriptionFile() async throws {
        try await withTestDatabase { database in
            try await withTestApp(database) { client in
                let response = try await client.execute(uri: "/.well-known/gs1resolver", method: .get, headers: [.accept: "application/json"])
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let file = response.json
                #expect(file["resolverRoot"] as? String == Self.root)
                #expect(file["supportedPrimaryKeys"] as? [String] == ["01"])
                #expect(file["jsonLdContextLocation"] as? String == "https://ref.gs1.org/standards/resolver/linkset-context")
                let namespaces = try #require(file["supportedLinkType"] as? [[String: String]])
                #expect(namespaces == [["namespace": "https://gs1.org/voc/", "prefix": "gs1:"]])
            }
        }
    }

    @Test("SHOULD tolerate trailing slashes: the same answer with and without")
    func trailingSlash() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                for uri in [Self.honey, Self.honey + "/10/KL8G", Self.honey + "/10/HL2406"] {
                    let plain = try await client.execute(uri: uri, method: .get)
                    let slashed = try await client.execute(uri: uri + "/", method: .get)
                    #expect(plain.status == slashed.status, "\(uri)")
                    #expect(plain.headers[.location] == slashed.headers[.location], "\(uri)")
                }
            }
        }
    }

    @Test("a lot's recall status: JSON for machines in the asker's language, the recall page for people")
    func recallStatus() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let recalled = try await client.execute(
                    uri: "/recall-status/01/03760123450027/10/OL2402", method: .get, headers: [.accept: "application/json", .acceptLanguage: "fr"])
                #expect(recalled.status == .ok)
                #expect(recalled.json["recalled"] as? Bool == true)
                #expect((recalled.json["notice"] as? String)?.isEmpty == false)
                #expect(recalled.json["notice_language"] as? String == "fr")
                let fine = try await client.execute(uri: "/recall-status/01/03760123450027/10/OL2410", method: .get, headers: [.accept: "application/json"])
                #expect(fine.json["recalled"] as? Bool == false && fine.json["notice"] == nil)
                let page = try await client.execute(uri: "/recall-status/01/03760123450027/10/OL2402", method: .get)
                #expect(page.text.contains(#"data-verdict="recalled""#))
                #expect(try await client.execute(uri: "/recall-status/01/03760123450027/10/NOPE", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/recall-status/01/03760123450027", method: .get).status == .badRequest)
            }
        }
    }
}
