import HTTPTypes
import HummingbirdTesting
import Logging
import PostgresNIO
import SignetCore
import Testing

@Suite("Portal sign-in")
struct SignInTests {
    @Test("a manager signs in, gets a hardened session cookie, and sees the brand's products in their language")
    func signIn() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                browser.acceptLanguage = "de"
                let form = try await browser.get("/portal/sign-in")
                #expect(form.status == .ok)
                #expect(form.headers[.contentLanguage] == "de")
                #expect(form.text.contains(try UIStrings.html("portal_sign_in_title", .de)))
                let response = try await browser.post("/portal/sign-in", ["email": " Owner@Demo.test ", "password": AccountsFixture.password])
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/portal")
                let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("signet_session=") })
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/portal"))
                #expect(!cookie.contains("Secure"), "plain-http public URL: no Secure flag")
                let products = try await browser.get("/portal/products")
                #expect(products.status == .ok)
                #expect(products.text.contains(try UIStrings.escape(DemoFixture.productName(DemoFixture.honey, .de))))
                #expect(products.text.contains("owner@demo.test"))
            }
        }
    }

    @Test("a wrong password and an unknown e-mail get the same answer, and no session")
    func sameAnswer() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.get("/portal/sign-in")
                let wrong = try await browser.post("/portal/sign-in", ["email": "owner@demo.test", "password": "not the password"])
                let unknown = try await browser.post("/portal/sign-in", ["email": "nobody@demo.test", "password": "not the password"])
                for response in [wrong, unknown] {
                    #expect(response.status == .unauthorized)
                    #expect(response.text.contains(try UIStrings.html("portal_sign_in_failed", .en)))
                    #expect(!response.headers[values: .setCookie].contains { $0.hasPrefix("signet_session=") })
                }
                #expect(try await database.withClient { try await $0.scalar("SELECT count(*) FROM sessions", as: Int.self) } == 0)
            }
        }
    }

    @Test("a sign-in post without the form's CSRF cookie and token is refused")
    func csrf() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                let noForm = try await browser.post("/portal/sign-in", ["email": "owner@demo.test", "password": AccountsFixture.password])
                #expect(noForm.status == .forbidden)
                try await browser.get("/portal/sign-in")
                let forged = try await browser.post(
                    "/portal/sign-in", ["email": "owner@demo.test", "password": AccountsFixture.password], csrf: SecretToken.generate())
                #expect(forged.status == .forbidden)
            }
        }
    }

    @Test("after 10 attempts on one account within 15 minutes the next is refused with 429, even with the right password")
    func throttled() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.get("/portal/sign-in")
                // The account's window starts with its first attempt: the eleventh is refused.
                var refusedAfter: Int?
                for attempt in 1...11 {
                    let response = try await browser.post("/portal/sign-in", ["email": "owner@demo.test", "password": "guess guess guess"])
                    if response.status == .tooManyRequests { refusedAfter = attempt; break }
                    #expect(response.status == .unauthorized)
                }
                #expect(refusedAfter == 11)
                let blocked = try await browser.post("/portal/sign-in", ["email": "owner@demo.test", "password": AccountsFixture.password])
                #expect(blocked.status == .tooManyRequests)
                #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 > 0)
                #expect(blocked.text.contains(try UIStrings.html("portal_sign_in_throttled", .en)))
            }
        }
    }

    @Test("the database holds only a bcrypt hash of the password and a SHA-256 of the session id")
    func hashesOnly() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("owner@demo.test")
                let sessionID = try #require(browser.cookies["signet_session"])
                try await database.withClient { db in
                    let hash = try #require(try await db.scalar("SELECT password_hash FROM users", as: String.self))
                    #expect(hash.hasPrefix("$2b$") && !hash.contains(AccountsFixture.password))
                    let stored = try #require(try await db.scalar("SELECT id_hash FROM sessions", as: ByteBuffer.self))
                    #expect(Array(stored.readableBytesView) == SecretToken.digest(sessionID))
                    let clear = try await db.scalar(
                        "SELECT count(*) FROM sessions WHERE position(convert_to(\(sessionID), 'UTF8') IN id_hash) > 0", as: Int.self)
                    #expect(clear == 0)
                }
            }
        }
    }
}
