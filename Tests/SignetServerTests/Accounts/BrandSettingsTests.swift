import Foundation
import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Brand settings, required two-factor, account language")
struct BrandSettingsTests {
    static let settings = ["name": "Maison Aurore Paris", "support_email": "", "default_language": "fr", "owners_need_two_factor": "on"]

    @Test("an owner with two-factor may require it of all owners; another owner is then held on the account page until enrolled")
    func requiredTwoFactor() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            for (email, role) in [("alice@demo.test", Role.owner), ("bob@demo.test", .owner), ("carol@demo.test", .editor)] {
                try await AccountsFixture.user(database, brand: "demo", email: email, role: role)
            }
            try await withTestApp(database) { client in
                var alice = PortalBrowser(client)
                try await alice.signIn("alice@demo.test")
                try await alice.get("/portal/brand")
                let early = try await alice.post("/portal/brand", Self.settings)
                #expect(early.status == .unprocessableContent)
                #expect(early.text.contains(try UIStrings.html("portal_error_two_factor_first", .en)))
                _ = try await TwoFactorTests.enrol(&alice)
                #expect(try await alice.post("/portal/brand", Self.settings).status == .seeOther)
                let stored = try await database.withClient {
                    try await $0.scalar("SELECT name || ':' || owners_need_two_factor || ':' || coalesce(support_email, '-') FROM brands WHERE slug = 'demo'", as: String.self)
                }
                #expect(stored == "Maison Aurore Paris:true:-")
                let product = try await client.execute(uri: "/01/\(DemoFixture.honey.digits)", method: .get)
                #expect(product.text.contains("Maison Aurore Paris"))
                #expect(!product.text.contains("mailto:"), "no support address, no report link")

                var bob = PortalBrowser(client)
                try await bob.signIn("bob@demo.test")
                let held = try await bob.get("/portal/products")
                #expect(held.status == .seeOther && held.headers[.location] == "/portal/account")
                #expect(try await bob.post("/portal/product-types", ["code": "wine", "name_en": "Wine"]).status == .forbidden)
                let account = try await bob.get("/portal/account")
                #expect(account.text.contains(try UIStrings.html("portal_two_factor_required", .en)))
                _ = try await TwoFactorTests.enrol(&bob)
                #expect(try await bob.get("/portal/products").status == .ok)

                let refused = try await alice.post("/portal/account/two-factor/disable", ["code": "000000"])
                #expect(refused.status == .conflict)
                #expect(refused.text.contains(try UIStrings.html("portal_two_factor_required_cannot_disable", .en)))

                var carol = PortalBrowser(client)
                try await carol.signIn("carol@demo.test")
                #expect(try await carol.get("/portal/products").status == .ok, "editors are not held")
                #expect(try await carol.get("/portal/brand").status == .forbidden)
                let audit = try await database.withClient {
                    try await $0.scalar("SELECT count(*)::int FROM audit_events WHERE action = 'brand.require_two_factor'", as: Int.self)
                }
                #expect(audit == 1)
            }
        }
    }

    @Test("turning two-factor off takes a valid code and deletes the secret and the recovery codes")
    func disable() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("owner@demo.test")
                let (_, codes) = try await TwoFactorTests.enrol(&browser)
                try await browser.get("/portal/account")
                let wrong = try await browser.post("/portal/account/two-factor/disable", ["code": "123456"])
                #expect(wrong.status == .unprocessableContent)
                let off = try await browser.post("/portal/account/two-factor/disable", ["code": codes[3]])
                #expect(off.status == .seeOther)
                let left = try await database.withClient { client in
                    try await client.scalar("""
                        SELECT (SELECT count(*) FROM users WHERE totp_secret IS NOT NULL OR totp_enabled_at IS NOT NULL)
                             + (SELECT count(*) FROM recovery_codes)
                        """, as: Int.self)
                }
                #expect(left == 0)
                try await browser.post("/portal/sign-out")
                try await browser.signIn("owner@demo.test")
                #expect(try await browser.get("/portal/products").status == .ok, "the password alone signs in again")
            }
        }
    }

    @Test("the portal language a user saves wins over the browser's until reset")
    func language() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("viewer@demo.test")
                try await browser.get("/portal/account")
                #expect(try await browser.post("/portal/account/language", ["language": "de"]).status == .seeOther)
                let german = try await browser.get("/portal/products")
                #expect(german.headers[.contentLanguage] == "de")
                #expect(german.text.contains(try UIStrings.html("portal_nav_products", .de)))
                #expect(try await browser.post("/portal/account/language", ["language": "xx"]).status == .badRequest)
                try await browser.post("/portal/account/language", ["language": ""])
                #expect(try await browser.get("/portal/products").headers[.contentLanguage] == "en")
            }
        }
    }
}
