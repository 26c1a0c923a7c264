import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Product safety data and characteristics")
struct ProductSafetyDataTests {
    /// Saves the demo honey with structured texts in French (its default) and
    /// only a name and warnings in English.
    static func saveHoney(_ browser: inout PortalBrowser, characteristics: String = "Poids net: 250 g\nRécolte : Été <2026>") async throws -> TestResponse {
        let editor = try await browser.get("/portal/products/\(DemoFixture.honey.digits)")
        let version = try #require(ProductEditorTests.field("version", in: editor.text))
        return try await browser.post("/portal/products/\(DemoFixture.honey.digits)", [
            "version": version, "default_language": "fr", "product_type": "food",
            "fr_name": "Miel de lavande", "fr_warnings": "Ne convient pas aux enfants de moins de 12 mois.",
            "fr_hazards": "H319 Provoque une sévère irritation des yeux.\n\n<script>H335</script>",
            "fr_allergens": "Pollen", "fr_instructions": "Une cuillère par jour.",
            "fr_characteristics": characteristics,
            "en_name": "Lavender Honey", "en_warnings": "Not for infants under 12 months.",
        ])
    }

    @Test("each part of the safety data and every characteristic shows on the scan page, escaped, falling back to the default language")
    func scanPage() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                #expect(try await Self.saveHoney(&browser).status == .seeOther)

                let french = try await client.execute(uri: demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00001") + "&lang=fr", method: .get)
                #expect(french.text.contains("data-verdict=\"genuine_first\""))
                for expected in ["Ne convient pas aux enfants", "<li>H319 Provoque une sévère irritation des yeux.</li>",
                                 "<li>&lt;script&gt;H335&lt;/script&gt;</li>", "Pollen", "Une cuillère par jour.",
                                 "<dt>Poids net</dt><dd>250 g</dd>", "<dt>Récolte</dt><dd>Été &lt;2026&gt;</dd>",
                                 try UIStrings.html("label_hazards", .fr), try UIStrings.html("label_allergens", .fr)] {
                    #expect(french.text.contains(expected), "French page lacks \(expected)")
                }
                #expect(!french.text.contains("<script>H335"))

                // English has its own warnings; the rest comes from French.
                let english = try await client.execute(uri: demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00002") + "&lang=en", method: .get)
                #expect(english.headers[.contentLanguage] == "en")
                #expect(english.text.contains("Not for infants under 12 months."))
                #expect(!english.text.contains("Ne convient pas aux enfants"))
                #expect(english.text.contains("<li>H319 Provoque une sévère irritation des yeux.</li>"))
                #expect(english.text.contains("<dt>Poids net</dt><dd>250 g</dd>"))
                #expect(english.text.contains(try UIStrings.html("label_instructions", .en)))

                // The product page (no serial) shows the same texts.
                let product = try await client.execute(uri: "/01/\(DemoFixture.honey.digits)?lang=de", method: .get)
                #expect(product.text.contains("<dt>Poids net</dt><dd>250 g</dd>"))
                #expect(product.text.contains("Une cuillère par jour."))

                // The editor shows characteristics back as lines.
                let editor = try await browser.get("/portal/products/\(DemoFixture.honey.digits)")
                #expect(editor.text.contains("Poids net: 250 g\nRécolte: Été &lt;2026&gt;"))
            }
        }
    }

    @Test("a characteristic line without a name or a colon is refused with 422 and nothing is saved")
    func badCharacteristic() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                let refused = try await Self.saveHoney(&browser, characteristics: "Poids net: 250 g\njust a line\n: no name")
                #expect(refused.status == .unprocessableContent)
                #expect(refused.text.contains(try UIStrings.html("portal_error_characteristics", .en)))
                let stored = try await database.withClient {
                    try await $0.scalar("SELECT count(*) FROM product_translations WHERE allergens = 'Pollen'", as: Int.self)
                }
                #expect(stored == 0)
            }
        }
    }

    @Test("the API takes and returns structured safety data and characteristics, and names each bad characteristic")
    func api() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let created = try await client.api(.post, "/api/v1/products", key: key, json: """
                    {"gtin": "4006381333931", "default_language": "en", "product_type": "cosmetics",
                     "translations": {"en": {"name": "Hand cream", "hazards": "H317 May cause an allergic skin reaction.",
                       "allergens": "Linalool", "instructions": "Apply as needed.", "warnings": "Avoid the eyes.",
                       "characteristics": [{"name": "Volume", "value": "75 ml"}, {"name": "Made in", "value": "France"}]}}}
                    """)
                #expect(created.status == .created)
                #expect(created.json["product_type"] as? String == "cosmetics")
                let english = (created.json["translations"] as? [String: Any])?["en"] as? [String: Any]
                #expect(english?["allergens"] as? String == "Linalool")
                let characteristics = english?["characteristics"] as? [[String: String]]
                #expect(characteristics == [["name": "Volume", "value": "75 ml"], ["name": "Made in", "value": "France"]])
                let page = try await client.execute(uri: "/01/04006381333931", method: .get)
                #expect(page.text.contains("<dt>Volume</dt><dd>75 ml</dd>"))
                #expect(page.text.contains("<li>H317 May cause an allergic skin reaction.</li>"))

                let bad = try await client.api(.post, "/api/v1/products", key: key, json: """
                    {"gtin": "4006381333948", "default_language": "en", "product_type": "tools",
                     "translations": {"en": {"name": "X", "characteristics": [{"name": "Ok", "value": "1"}, {"name": "", "value": "2"}]}}}
                    """)
                #expect(bad.status == .unprocessableContent)
                let fields = Set(((bad.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
                #expect(fields.contains("translations.en.characteristics[1]"))
                let unknownType = try await client.api(.post, "/api/v1/products", key: key, json: """
                    {"gtin": "4006381333948", "default_language": "en", "product_type": "tools", "translations": {"en": {"name": "X"}}}
                    """)
                #expect(unknownType.status == .unprocessableContent)
                #expect(((unknownType.json["errors"] as? [[String: Any]])?.first?["field"] as? String) == "product_type")
            }
        }
    }
}
