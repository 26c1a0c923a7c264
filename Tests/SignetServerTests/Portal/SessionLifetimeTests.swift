import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Portal sessions: fixation, expiry, signing out")
struct SessionLifetimeTests {
    @Test("portal pages without a session send the browser to the sign-in page")
    func signedOut() async throws {
        try await withTestDatabase { database in
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                for path in ["/portal", "/portal/products", "/portal/products/03760123450003"] {
                    let response = try await browser.get(path)
                    #expect(response.status == .seeOther, "\(path)")
                    #expect(response.headers[.location] == "/portal/sign-in")
                }
            }
        }
    }

    @Test("a session id planted before sign-in is never adopted: signing in issues a new one")
    func fixation() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                let planted = SecretToken.generate()
                browser.setCookie("signet_session", planted)
                try await browser.signIn("owner@demo.test")
                #expect(browser.cookies["signet_session"] != planted)

                // Signing in again from the same browser replaces its session; the first id stops working.
                let first = try #require(browser.cookies["signet_session"])
                let again = try await browser.post(
                    "/portal/sign-in", ["email": "owner@demo.test", "password": AccountsFixture.password],
                    csrf: try #require(browser.cookies["signet_form"]))
                #expect(again.status == .seeOther)
                #expect(browser.cookies["signet_session"] != first)
                var stale = PortalBrowser(client)
                stale.setCookie("signet_session", first)
                #expect(try await stale.get("/portal/products").status == .seeOther)
            }
        }
    }

    @Test("a session idle for more than 2 hours, or older than 12 hours, has ended")
    func expiry() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("owner@demo.test")
                try await database.withClient { try await $0.run("UPDATE sessions SET last_seen_at = now() - interval '2 hours 1 minute'") }
                let idle = try await browser.get("/portal/products")
                #expect(idle.status == .seeOther)
                #expect(browser.cookies["signet_session"] == nil, "the dead cookie is cleared")

                try await browser.signIn("owner@demo.test")
                #expect(try await browser.get("/portal/products").status == .ok)
                try await database.withClient { try await $0.run("UPDATE sessions SET expires_at = now() - interval '1 second'") }
                #expect(try await browser.get("/portal/products").status == .seeOther)
            }
        }
    }

    @Test("signing out ends this session; signing out everywhere ends the user's other sessions too")
    func signOut() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var laptop = PortalBrowser(client), phone = PortalBrowser(client), tablet = PortalBrowser(client)
                try await laptop.signIn("owner@demo.test")
                try await phone.signIn("owner@demo.test")
                try await tablet.signIn("owner@demo.test")

                let out = try await laptop.post("/portal/sign-out")
                #expect(out.status == .seeOther)
                #expect(try await laptop.get("/portal/products").status == .seeOther)
                #expect(try await phone.get("/portal/products").status == .ok)

                #expect(try await phone.post("/portal/sign-out-everywhere").status == .seeOther)
                #expect(try await tablet.get("/portal/products").status == .seeOther)
                #expect(try await database.withClient { try await $0.scalar("SELECT count(*) FROM sessions", as: Int.self) } == 0)
            }
        }
    }

    @Test("a disabled user's sessions stop working at once")
    func disabled() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("owner@demo.test")
                try await database.withClient { try await $0.run("UPDATE users SET disabled_at = now()") }
                #expect(try await browser.get("/portal/products").status == .seeOther)
            }
        }
    }
}
