import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import SignetCore
@testable import SignetServer
import Testing

/// An e-mail and a password on a wallet, and signing in on another device.
@Suite("Wallet accounts")
struct WalletAccountTests {
    static func form(_ cookie: String?, language: String = "en") -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: language]
        if let cookie { headers[.cookie] = "signet_wallet=\(cookie)" }
        return headers
    }

    @Test("a device wallet gets an e-mail and password; another device's own points move into it once on sign-in; a wrong password is one message; sign-out ends the device")
    func accountAndMerge() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await LoyaltyClaimTests.enableLoyalty(database, points: 60, daily: 10, gap: 0)
            try await withTestApp(database) { client in
                func claim(_ serial: String, wallet: String?) async throws -> String? {
                    let scan = try await client.execute(uri: demo.path(DemoFixture.honey, serial: serial), method: .get)
                    let response = try await LoyaltyClaimTests.claim(client, token: try #require(LoyaltyClaimTests.claimToken(scan.text)), wallet: wallet)
                    return LoyaltyClaimTests.walletCookie(response) ?? wallet
                }
                // The phone: 60 points, then an account.
                let phone = try #require(try await claim("H00390", wallet: nil))
                let weak = try await client.execute(uri: "/wallet/account", method: .post, headers: Self.form(phone),
                                                    body: ByteBuffer(string: "email=ana%40example.com&password=short"))
                #expect(weak.status == .unprocessableContent)
                let saved = try await client.execute(uri: "/wallet/account", method: .post, headers: Self.form(phone),
                                                     body: ByteBuffer(string: "email=Ana%40Example.com&password=correct+horse+battery"))
                #expect(saved.status == .seeOther)
                // The tablet: its own 120 points and a voucher, before signing in.
                let tablet = try #require(try await claim("H00391", wallet: nil))
                _ = try await claim("H00392", wallet: tablet)
                let taken = try await client.execute(uri: "/wallet/account", method: .post, headers: Self.form(tablet, language: "fr"),
                                                     body: ByteBuffer(string: "email=ana%40example.com&password=another+long+password"))
                #expect(taken.status == .conflict)
                #expect(taken.text.contains("Un portefeuille utilise déjà cet e-mail"))
                let wrong = try await client.execute(uri: "/wallet/sign-in", method: .post, headers: Self.form(tablet),
                                                     body: ByteBuffer(string: "email=ana%40example.com&password=not+the+password"))
                #expect(wrong.status == .unauthorized)
                let unknown = try await client.execute(uri: "/wallet/sign-in", method: .post, headers: Self.form(tablet),
                                                       body: ByteBuffer(string: "email=nobody%40example.com&password=not+the+password"))
                #expect(unknown.status == .unauthorized)
                #expect(unknown.text.contains("Wrong e-mail or password.") && wrong.text.contains("Wrong e-mail or password."))
                let signedIn = try await client.execute(uri: "/wallet/sign-in", method: .post, headers: Self.form(tablet),
                                                        body: ByteBuffer(string: "email=ana%40example.com&password=correct+horse+battery"))
                #expect(signedIn.status == .seeOther)
                let account = try #require(LoyaltyClaimTests.walletCookie(signedIn))
                #expect(account != tablet)
                let page = try await client.execute(uri: "/wallet", method: .get, headers: [.cookie: "signet_wallet=\(account)"])
                #expect(page.text.contains("180 points"))
                #expect(page.text.contains("Signed in as ana@example.com."))
                #expect(try await client.execute(uri: "/wallet/data", method: .get, headers: [.cookie: "signet_wallet=\(tablet)"]).status == .notFound,
                        "the tablet's old wallet is merged and its cookie opens nothing")
                let out = try await client.execute(uri: "/wallet/sign-out", method: .post, headers: Self.form(account))
                #expect(out.status == .seeOther)
                #expect(try await client.execute(uri: "/wallet/data", method: .get, headers: [.cookie: "signet_wallet=\(account)"]).status == .notFound)
                #expect(try await client.execute(uri: "/wallet/data", method: .get, headers: [.cookie: "signet_wallet=\(phone)"]).status == .ok,
                        "the phone stays signed in")
            }
            #expect(try await LoyaltyClaimTests.rows(database, """
                SELECT kind || ' ' || points FROM loyalty_ledger WHERE kind = 'merge' ORDER BY id
                """) == ["merge -120", "merge 120"])
            #expect(try await LoyaltyClaimTests.rows(database, """
                SELECT string_agg(points::text, ',' ORDER BY points) FROM loyalty_balances
                """) == ["0,180"])
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT left(password_hash, 4) FROM wallets WHERE email = 'ana@example.com'") == ["$2b$"])
            try await LedgerCheck.balancesMatch(database)
        }
    }
}
