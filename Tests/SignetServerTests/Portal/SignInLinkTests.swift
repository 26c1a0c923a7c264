import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("One-time sign-in links")
struct SignInLinkTests {
    @Test("an invited user chooses a password from the link, is signed in, and the link then stops working")
    func invitation() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let token = try await AccountsFixture.invitedUser(database, brand: "demo", email: "new@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                browser.acceptLanguage = "fr"
                let page = try await browser.get("/portal/welcome/\(token)")
                #expect(page.status == .ok)
                #expect(page.text.contains("new@demo.test"))
                #expect(page.text.contains(try UIStrings.html("portal_welcome_title", .fr)))

                let mismatch = try await browser.post("/portal/welcome/\(token)", ["password": "one long password", "confirmation": "another long one"])
                #expect(mismatch.status == .unprocessableContent)
                #expect(mismatch.text.contains(try UIStrings.html("portal_password_mismatch", .fr)))
                let short = try await browser.post("/portal/welcome/\(token)", ["password": "short", "confirmation": "short"])
                #expect(short.status == .unprocessableContent)
                #expect(short.text.contains(try UIStrings.html("portal_password_too_short", .fr)))

                let chosen = try await browser.post(
                    "/portal/welcome/\(token)", ["password": AccountsFixture.password, "confirmation": AccountsFixture.password])
                #expect(chosen.status == .seeOther)
                #expect(try await browser.get("/portal/products").status == .ok)

                var other = PortalBrowser(client)
                #expect(try await other.get("/portal/welcome/\(token)").status == .notFound)
                try await other.signIn("new@demo.test")
            }
        }
    }

    @Test("an expired or unknown link gets a clear 404 page, in the visitor's language")
    func expired() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let token = try await AccountsFixture.invitedUser(database, brand: "demo", email: "late@demo.test", role: .viewer)
            try await database.withClient { try await $0.run("UPDATE sign_in_links SET expires_at = now() - interval '1 minute'") }
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                browser.acceptLanguage = "es"
                for path in ["/portal/welcome/\(token)", "/portal/welcome/\(SecretToken.generate())"] {
                    let response = try await browser.get(path)
                    #expect(response.status == .notFound)
                    #expect(response.text.contains(try UIStrings.html("portal_link_unusable_title", .es)))
                }
            }
        }
    }
}
