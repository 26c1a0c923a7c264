import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import SignetCore
@testable import SignetServer
import Testing

/// "Download my data" and "Delete my wallet".
@Suite("Wallet privacy")
struct WalletPrivacyTests {
    @Test("the export holds the wallet's e-mail, balances, ledger and vouchers; deletion erases e-mail, password hash and devices, keeps the ledger, and leaves the brand's issued and redeemed totals as they were")
    func exportAndErase() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let setup = try await database.withClient { client in try await RedemptionTests.setUp(client, points: 300, cost: 100, stock: nil) }
            let code = try await setup.voucher(database)
            // The device's token, as its cookie would carry it.
            let token = try await database.withClient { client in
                let token = SecretToken.generate()
                try await client.run("""
                    INSERT INTO wallet_devices (token_hash, wallet_id) VALUES (\(ByteBuffer(bytes: SecretToken.digest(token))), \(setup.walletID))
                    """)
                try await client.run("UPDATE wallets SET email = 'ana@example.com', password_hash = '$2b$04$abcdefghijklmnopqrstuv' WHERE id = \(setup.walletID)")
                return token
            }
            let totalsBefore = try await database.withClient { client in
                try await LoyaltyProgrammeStore(database: client, logger: Logger(label: "t")).totals(brandID: setup.brandID)
            }
            try await withTestApp(database) { client in
                let cookie: HTTPFields = [.cookie: "signet_wallet=\(token)"]
                let export = try await client.execute(uri: "/wallet/data", method: .get, headers: cookie)
                #expect(export.status == .ok)
                #expect(export.headers[.contentDisposition]?.contains("attachment") == true)
                let json = export.json
                #expect((json["wallet"] as? [String: Any])?["email"] as? String == "ana@example.com")
                #expect((json["balances"] as? [[String: Any]])?.first?["points"] as? Int == 200)
                #expect((json["ledger"] as? [[String: Any]])?.count == 4, "three earns and a redemption")
                #expect((json["redemptions"] as? [[String: Any]])?.first?["voucher"] as? String == code)
                #expect(!export.text.contains("$2b$"), "never the password hash")
                #expect(try await client.execute(uri: "/wallet/data", method: .get).status == .notFound)

                var form = cookie
                form[.contentType] = "application/x-www-form-urlencoded"
                let unconfirmed = try await client.execute(uri: "/wallet/delete", method: .post, headers: form, body: ByteBuffer(string: ""))
                #expect(unconfirmed.status == .unprocessableContent)
                let deleted = try await client.execute(uri: "/wallet/delete", method: .post, headers: form, body: ByteBuffer(string: "confirm=yes"))
                #expect(deleted.status == .seeOther)
                #expect(deleted.headers[values: .setCookie].contains { $0.hasPrefix("signet_wallet=;") || $0.hasPrefix("signet_wallet=") && $0.contains("Max-Age=0") })
                let after = try await client.execute(uri: "/wallet?deleted=1&lang=fr", method: .get, headers: cookie)
                #expect(after.text.contains("Votre portefeuille a été supprimé."))
                #expect(try await client.execute(uri: "/wallet/data", method: .get, headers: cookie).status == .notFound, "the old cookie opens nothing")
            }
            #expect(try await LoyaltyClaimTests.rows(database, """
                SELECT coalesce(email, '-') || ' ' || coalesce(password_hash, '-') || ' ' || (erased_at IS NOT NULL)::text FROM wallets WHERE id = \(setup.walletID)
                """) == ["- - true"])
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT count(*)::text FROM wallet_devices WHERE wallet_id = \(setup.walletID)") == ["0"])
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT count(*)::text FROM loyalty_ledger WHERE wallet_id = \(setup.walletID)") == ["5"])
            let totalsAfter = try await database.withClient { client in
                try await LoyaltyProgrammeStore(database: client, logger: Logger(label: "t")).totals(brandID: setup.brandID)
            }
            #expect(totalsAfter.issued == totalsBefore.issued && totalsAfter.redeemed == totalsBefore.redeemed)
            #expect(totalsAfter.outstanding == 0, "the erased wallet's 200 points are gone, recorded as an adjustment")
            try await LedgerCheck.balancesMatch(database)
        }
    }
}
