import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Product editor")
struct ProductEditorTests {
    static let texts: [Language: (name: String, description: String)] = [
        .en: ("Acacia Honey", "Mild & <golden> honey from the Loire."),
        .fr: ("Miel d’acacia", "Un miel doux et doré de la Loire."),
        .de: ("Akazienhonig", "Milder, goldener Honig von der Loire."),
        .es: ("Miel de acacia", "Miel suave y dorada del Loira."),
    ]

    @Test("a product created with four translations shows each one, escaped, on the consumer page")
    func fourLanguages() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                try await browser.get("/portal/products/new")
                let created = try await browser.post(
                    "/portal/products", ["gtin": "4006381333931", "sku": "AC-250", "default_language": "fr", "name": "Miel d’acacia"])
                #expect(created.status == .seeOther)
                #expect(created.headers[.location] == "/portal/products/04006381333931?saved=1")

                let editor = try await browser.get("/portal/products/04006381333931")
                #expect(editor.status == .ok)
                let version = try #require(Self.field("version", in: editor.text))
                var fields = ["sku": "AC-250", "default_language": "fr", "version": version]
                for (language, text) in Self.texts {
                    fields["\(language.rawValue)_name"] = text.name
                    fields["\(language.rawValue)_description"] = text.description
                }
                let saved = try await browser.post("/portal/products/04006381333931", fields)
                #expect(saved.status == .seeOther)

                for (language, text) in Self.texts {
                    let page = try await client.execute(uri: "/01/04006381333931?lang=\(language.rawValue)", method: .get)
                    #expect(page.headers[.contentLanguage] == language.rawValue)
                    #expect(page.text.contains(UIStrings.escape(text.name)))
                    #expect(page.text.contains(UIStrings.escape(text.description)))
                }
                #expect(!(try await client.execute(uri: "/01/04006381333931?lang=en", method: .get)).text.contains("<golden>"))
            }
        }
    }

    @Test("a language without a name is not offered; consumers asking for it get the default language")
    func fallback() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                try await browser.get("/portal/products/new")
                try await browser.post("/portal/products", ["gtin": "4006381333931", "default_language": "de", "name": "Akazienhonig"])
                let page = try await client.execute(uri: "/01/04006381333931", method: .get, headers: [.acceptLanguage: "es"])
                #expect(page.headers[.contentLanguage] == "de")
                #expect(page.text.contains("Akazienhonig"))
            }
        }
    }

    @Test("bad input is answered with the form again and every problem listed, nothing saved")
    func validation() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                try await browser.get("/portal/products/new")
                let bad = try await browser.post("/portal/products", ["gtin": "4006381333932", "name": ""])
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains(try UIStrings.html("portal_error_gtin_invalid", .en)))
                #expect(bad.text.contains(try UIStrings.html("portal_error_name_required", .en)))
                let taken = try await browser.post("/portal/products", ["gtin": "3760123450003", "name": "Copy"])
                #expect(taken.status == .conflict)
                #expect(taken.text.contains(try UIStrings.html("portal_error_gtin_taken", .en)))

                let editor = try await browser.get("/portal/products/03760123450003")
                let version = try #require(Self.field("version", in: editor.text))
                let missingDefault = try await browser.post(
                    "/portal/products/03760123450003", ["default_language": "fr", "version": version, "en_name": "Only English"])
                #expect(missingDefault.status == .unprocessableContent)
                #expect(missingDefault.text.contains(try UIStrings.html("portal_error_default_language_missing", .en)))
                let count = try await database.withClient {
                    try await $0.scalar("SELECT count(*) FROM product_translations t JOIN products p ON p.id = t.product_id WHERE p.gtin = '03760123450003'", as: Int.self)
                }
                #expect(count == 4)
            }
        }
    }

    @Test("saving over someone else's newer edit is refused with 409 and nothing of the stale form is kept")
    func staleEdit() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "a@demo.test", role: .editor)
            try await AccountsFixture.user(database, brand: "demo", email: "b@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var alice = PortalBrowser(client), bob = PortalBrowser(client)
                try await alice.signIn("a@demo.test")
                try await bob.signIn("b@demo.test")
                let aliceVersion = try #require(Self.field("version", in: try await alice.get("/portal/products/03760123450003").text))
                let bobVersion = try #require(Self.field("version", in: try await bob.get("/portal/products/03760123450003").text))
                #expect(try await bob.post(
                    "/portal/products/03760123450003", ["default_language": "fr", "version": bobVersion, "fr_name": "Miel de Bob"]
                ).status == .seeOther)
                let stale = try await alice.post(
                    "/portal/products/03760123450003", ["default_language": "fr", "version": aliceVersion, "fr_name": "Miel d’Alice"])
                #expect(stale.status == .conflict)
                #expect(stale.text.contains(try UIStrings.html("portal_error_stale", .en)))
                let name = try await database.withClient {
                    try await $0.scalar("SELECT name FROM product_translations WHERE language = 'fr' AND product_id = (SELECT id FROM products WHERE gtin = '03760123450003')", as: String.self)
                }
                #expect(name == "Miel de Bob")
            }
        }
    }

    /// The value of a hidden or text input named `name` in a page.
    static func field(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}
