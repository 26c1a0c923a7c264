import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Scan page in each language")
struct ScanLanguageTests {
    @Test("a first scan answers in the negotiated language", arguments: [
        (Language.en, "en-GB,en;q=0.9", "H00001"),
        (Language.fr, "fr-CA,fr;q=0.9,en;q=0.5", "H00002"),
        (Language.de, "de-DE;q=1.0, en;q=0.8", "H00003"),
        (Language.es, "it;q=1.0, es-MX;q=0.7", "H00004"),
    ])
    func firstScanInEachLanguage(language: Language, acceptLanguage: String, serial: String) async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let response = try await client.execute(
                    uri: demo.path(DemoFixture.honey, lot: "HL2406", serial: serial), method: .get,
                    headers: [.acceptLanguage: acceptLanguage])
                #expect(response.status == .ok)
                #expect(response.headers[.contentLanguage] == language.rawValue)
                #expect(response.headers[.vary] == "Accept, Accept-Language, Cookie")
                let html = response.text
                #expect(html.contains("<html lang=\"\(language.rawValue)\""))
                #expect(try html.contains(UIStrings.html("verdict_genuine_first_title", language)))
                #expect(try html.contains(UIStrings.escape(DemoFixture.productName(DemoFixture.honey, language))))
                #expect(html.contains("data-verdict=\"genuine_first\""))
            }
            let rows = try await demo.consultations()
            #expect(rows.count == 1)
            #expect(rows.first?.servedLanguage == language.rawValue)
            #expect(rows.first?.verdict == "genuine_first")
        }
    }

    @Test("?lang= overrides the header, sets the cookie, and the cookie is then honoured")
    func languageParameterAndCookie() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let first = try await client.execute(
                    uri: demo.path(DemoFixture.cream, lot: "CL2409", serial: "C00001") + "&lang=es", method: .get,
                    headers: [.acceptLanguage: "de"])
                #expect(first.headers[.contentLanguage] == "es")
                let cookie = try #require(first.headers[.setCookie])
                #expect(cookie.contains("signet_lang=es"))
                #expect(cookie.contains("HttpOnly"))

                let second = try await client.execute(
                    uri: demo.path(DemoFixture.cream, lot: "CL2409", serial: "C00002"), method: .get,
                    headers: [.acceptLanguage: "de", .cookie: "signet_lang=es"])
                #expect(second.headers[.contentLanguage] == "es")
                #expect(try second.text.contains(UIStrings.escape(DemoFixture.productName(DemoFixture.cream, .es))))
            }
            let rows = try await demo.consultations()
            #expect(rows.map(\.requestedLanguage) == ["es", "es"])
        }
    }

    @Test("a language the product lacks falls back to the product's default language")
    func productLanguagesOnly() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            // The olive oil (default fr) loses its German text.
            try await database.withClient { client in
                try await client.run("DELETE FROM product_translations WHERE language = 'de' AND product_id = (SELECT id FROM products WHERE gtin = '03760123450027')")
            }
            try await withTestApp(database) { client in
                let response = try await client.execute(
                    uri: demo.path(DemoFixture.oliveOil, lot: "OL2410", serial: "O00001"), method: .get,
                    headers: [.acceptLanguage: "de"])
                #expect(response.status == .ok)
                #expect(response.headers[.contentLanguage] == "fr")
                #expect(try response.text.contains(UIStrings.escape(DemoFixture.productName(DemoFixture.oliveOil, .fr))))
                // The switcher offers only the product's languages.
                #expect(!response.text.contains("hreflang=\"de\""))
                #expect(response.text.contains("hreflang=\"en\""))
            }
            let rows = try await demo.consultations()
            #expect(rows.first?.servedLanguage == "fr")
            #expect(rows.first?.requestedLanguage == "de")
        }
    }

    @Test("a second scan says when and where the seal was first verified")
    func seenBefore() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database, .live) { client in
                let path = demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00010")
                let first = try await client.execute(uri: path, method: .get, headers: [.acceptLanguage: "fr", .xForwardedFor: "192.0.2.44"])
                #expect(first.text.contains("data-verdict=\"genuine_first\""))
                let second = try await client.execute(uri: path, method: .get, headers: [.acceptLanguage: "fr", .xForwardedFor: "198.51.100.3"])
                let html = second.text
                #expect(html.contains("data-verdict=\"genuine_seen\""))
                #expect(try html.contains(UIStrings.html("verdict_genuine_seen_title", .fr)))
                // First country is France (the first scan's), in French, and the count is 2.
                #expect(html.contains("France"))
                #expect(html.contains("2"))
                #expect(!html.contains("{count}") && !html.contains("{date}") && !html.contains("{country}"))
            }
            let rows = try await demo.consultations()
            #expect(rows.map(\.verdict) == ["genuine_first", "genuine_seen"])
            #expect(rows.map(\.country) == ["FR", "DE"])
        }
    }
}
