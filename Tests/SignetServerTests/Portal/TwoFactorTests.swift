import Foundation
import HTTPTypes
import HummingbirdOTP
import HummingbirdTesting
import PostgresNIO
import SignetCore
import Testing

@Suite("Two-factor sign-in")
struct TwoFactorTests {
    /// Enrols `email` (signed in in `browser`) and returns the secret and the recovery codes.
    static func enrol(_ browser: inout PortalBrowser) async throws -> (secret: String, codes: [String]) {
        try await browser.get("/portal/account")
        let setup = try await browser.post("/portal/account/two-factor")
        #expect(setup.status == .ok)
        #expect(setup.text.contains("<svg"), "a QR code drawn inline")
        let key = try #require(setup.text.range(of: "<code class=\"portal-secret\">").map {
            String(setup.text[$0.upperBound...].prefix { $0 != "<" })
        })
        let secret = key.replacingOccurrences(of: " ", with: "")
        #expect(secret.count == 32)
        let wrong = try await browser.post("/portal/account/two-factor/confirm", ["code": "000000"])
        #expect(wrong.status == .unprocessableContent)
        let confirmed = try await browser.post("/portal/account/two-factor/confirm", ["code": code(secret)])
        #expect(confirmed.status == .ok)
        let codes = confirmed.text.components(separatedBy: "<li><code>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        #expect(codes.count == 10)
        return (secret, codes)
    }

    static func code(_ secret: String, at date: Date = Date()) -> String {
        let value = TOTP(secret: secret).compute(date: date)
        return String(repeating: "0", count: 6 - String(value).count) + String(value)
    }

    @Test("after enrolment the password only opens the second step; a right code signs in, once")
    func signIn() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("owner@demo.test")
                let (secret, _) = try await Self.enrol(&browser)
                let stored = try await database.withClient { try await $0.scalar("SELECT totp_secret FROM users", as: ByteBuffer.self) }
                #expect(stored.map { !String(buffer: $0).contains(secret) } == true, "the secret is stored sealed")

                var phone = PortalBrowser(client)
                try await phone.get("/portal/sign-in")
                let password = try await phone.post("/portal/sign-in", ["email": "owner@demo.test", "password": AccountsFixture.password])
                #expect(password.headers[.location] == "/portal/sign-in/two-factor")
                #expect(try await phone.get("/portal/products").headers[.location] == "/portal/sign-in/two-factor")
                let halfway = try #require(phone.cookies["signet_session"])
                try await phone.get("/portal/sign-in/two-factor")
                #expect(try await phone.post("/portal/sign-in/two-factor", ["code": "123456"]).status == .unauthorized)
                // The next step's code: the one enrolment used is spent.
                let code = Self.code(secret, at: Date().addingTimeInterval(30))
                let done = try await phone.post("/portal/sign-in/two-factor", ["code": code])
                #expect(done.status == .seeOther && done.headers[.location] == "/portal")
                #expect(phone.cookies["signet_session"] != halfway, "signing in fully issues a new session id")
                #expect(try await phone.get("/portal/products").status == .ok)

                var tablet = PortalBrowser(client)
                try await tablet.get("/portal/sign-in")
                try await tablet.post("/portal/sign-in", ["email": "owner@demo.test", "password": AccountsFixture.password])
                try await tablet.get("/portal/sign-in/two-factor")
                let reused = try await tablet.post("/portal/sign-in/two-factor", ["code": code])
                #expect(reused.status == .unauthorized, "a code works once")
                #expect(reused.text.contains(try UIStrings.html("portal_two_factor_wrong", .en)))
            }
        }
    }

    @Test("a recovery code signs in once; the codes are stored as hashes")
    func recoveryCode() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            let codes = try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("owner@demo.test")
                let (_, codes) = try await Self.enrol(&browser)
                for attempt in 1...2 {
                    var other = PortalBrowser(client)
                    try await other.get("/portal/sign-in")
                    try await other.post("/portal/sign-in", ["email": "owner@demo.test", "password": AccountsFixture.password])
                    try await other.get("/portal/sign-in/two-factor")
                    let response = try await other.post("/portal/sign-in/two-factor", ["code": codes[3].lowercased()])
                    #expect(response.status == (attempt == 1 ? .seeOther : .unauthorized))
                }
                return codes
            }
            let (stored, used) = try await database.withClient { client in
                (try await client.scalar("SELECT count(*) FROM recovery_codes WHERE code_hash = convert_to(\(codes[0]), 'UTF8')", as: Int.self),
                 try await client.scalar("SELECT count(*) FROM recovery_codes WHERE used_at IS NOT NULL", as: Int.self))
            }
            #expect(stored == 0)
            #expect(used == 1)
        }
    }
}
