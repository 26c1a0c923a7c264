import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import SignetCore
@testable import SignetServer
import Testing

/// Signing in to a wallet with a one-time link sent by e-mail (SMTP configured).
@Suite("Wallet sign-in links")
struct WalletSignInLinkTests {
    static let from = "wallet@signet.test"

    @Test("a link asked in French arrives in French; opening it shows a button and uses nothing; using it merges this device's points once; a second use and an unknown e-mail say nothing more")
    func linkSignsInOnce() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await LoyaltyClaimTests.enableLoyalty(database, points: 40, daily: 10, gap: 0)
            let smtp = SMTPConfiguration(host: "127.0.0.1", port: sink.port, security: .none, from: Self.from)
            try await withTestApp(database, .live, smtp: smtp) { client in
                func claim(_ serial: String, wallet: String?) async throws -> String? {
                    let scan = try await client.execute(uri: demo.path(DemoFixture.honey, serial: serial), method: .get)
                    let response = try await LoyaltyClaimTests.claim(client, token: try #require(LoyaltyClaimTests.claimToken(scan.text)), wallet: wallet)
                    return LoyaltyClaimTests.walletCookie(response) ?? wallet
                }
                let phone = try #require(try await claim("H00395", wallet: nil))
                let saved = try await client.execute(uri: "/wallet/account", method: .post, headers: WalletAccountTests.form(phone),
                                                     body: ByteBuffer(string: "email=lea%40example.com&password=correct+horse+battery"))
                #expect(saved.status == .seeOther)
                // A new phone with 40 points of its own, and no password at hand.
                let newPhone = try #require(try await claim("H00396", wallet: nil))
                let page = try await client.execute(uri: "/wallet", method: .get, headers: [.cookie: "signet_wallet=\(newPhone)", .acceptLanguage: "fr"])
                #expect(page.text.contains("M’envoyer un lien de connexion"))

                let asked = try await client.execute(uri: "/wallet/sign-in-link", method: .post, headers: WalletAccountTests.form(newPhone, language: "fr"),
                                                     body: ByteBuffer(string: "email=Lea%40Example.com"))
                #expect(asked.status == .ok)
                let sentText = "Si un portefeuille utilise cet e-mail, un lien de connexion est en route."
                #expect(asked.text.contains(sentText))
                let nobody = try await client.execute(uri: "/wallet/sign-in-link", method: .post, headers: WalletAccountTests.form(newPhone, language: "fr"),
                                                      body: ByteBuffer(string: "email=nobody%40example.com"))
                #expect(nobody.status == .ok)
                #expect(nobody.text.contains(sentText), "an unknown e-mail gets the same answer")

                let messages = try await AlertMailTests.waitForMessages(sink, count: 1)
                try #require(messages.count == 1)
                #expect(messages[0].rcpt_tos == ["lea@example.com"])
                #expect(messages[0].subject == "Votre lien de connexion au portefeuille Signet")
                let text = try #require(messages[0].text)
                let prefix = "http://scan.test/wallet/sign-in-link/"
                let start = try #require(text.range(of: prefix))
                let token = String(text[start.upperBound...].prefix { !$0.isWhitespace })
                let path = "/wallet/sign-in-link/\(token)"

                let opened = try await client.execute(uri: path, method: .get, headers: [.acceptLanguage: "fr"])
                #expect(opened.status == .ok)
                #expect(opened.text.contains("Connexion à votre portefeuille"))
                let used = try await client.execute(uri: path, method: .post, headers: WalletAccountTests.form(newPhone))
                #expect(used.status == .seeOther)
                let account = try #require(LoyaltyClaimTests.walletCookie(used))
                let wallet = try await client.execute(uri: "/wallet", method: .get, headers: [.cookie: "signet_wallet=\(account)"])
                #expect(wallet.text.contains("80 points"))
                #expect(wallet.text.contains("Signed in as lea@example.com."))

                let again = try await client.execute(uri: path, method: .post, headers: WalletAccountTests.form(nil))
                #expect(again.status == .notFound)
                #expect(again.text.contains("This sign-in link has expired or was already used."))
                #expect(LoyaltyClaimTests.walletCookie(again) == nil)
                try await Task.sleep(for: .milliseconds(300))
                #expect(try sink.messages().count == 1, "nothing was sent for the unknown e-mail")
            }
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT kind || ' ' || points FROM loyalty_ledger WHERE kind = 'merge' ORDER BY id")
                == ["merge -40", "merge 40"])
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT count(*) FILTER (WHERE used_at IS NOT NULL) || '/' || count(*) FROM wallet_sign_in_links")
                == ["1/1"])
            try await LedgerCheck.balancesMatch(database)
        }
    }

    @Test("an expired link signs nobody in; without SMTP the page offers no link and asking for one is a 404")
    func expiredAndUnconfigured() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let token = SecretToken.generate()
            try await database.withClient { client in
                let logger = Logger(label: "t")
                let walletID = try await WalletStore(database: client, logger: logger).createDeviceWallet(language: .en).0.id
                try await client.run("UPDATE wallets SET email = 'old@example.com' WHERE id = \(walletID)")
                try await client.run("""
                    INSERT INTO wallet_sign_in_links (token_hash, wallet_id, expires_at)
                    VALUES (\(ByteBuffer(bytes: SecretToken.digest(token))), \(walletID), now() - interval '1 second')
                    """)
            }
            try await withTestApp(database, .live) { client in
                let expired = try await client.execute(uri: "/wallet/sign-in-link/\(token)", method: .post, headers: WalletAccountTests.form(nil))
                #expect(expired.status == .notFound)
                #expect(LoyaltyClaimTests.walletCookie(expired) == nil)
                let page = try await client.execute(uri: "/wallet", method: .get)
                #expect(!page.text.contains("/wallet/sign-in-link"))
                let ask = try await client.execute(uri: "/wallet/sign-in-link", method: .post, headers: WalletAccountTests.form(nil),
                                                   body: ByteBuffer(string: "email=old%40example.com"))
                #expect(ask.status == .notFound)
            }
        }
    }
}
