import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import SignetCore
@testable import SignetServer
import Testing

/// A reward's picture: uploaded in the portal or PUT through the API, shown
/// in wallets, served from the brand's image store.
@Suite("Reward images")
struct RewardImageTests {
    @Test("an editor uploads a PNG for a reward: the wallet shows it and it is served; a file that is not an image is a 415 that changes nothing; removing it takes it off")
    func portal() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let setup = try await database.withClient { client in try await RedemptionTests.setUp(client, points: 100, cost: 50, stock: nil) }
            let walletToken = try await database.withClient { client in
                // A device of the setup's wallet, so the wallet page can be opened.
                let token = SecretToken.generate()
                try await client.run("""
                    INSERT INTO wallet_devices (token_hash, wallet_id) VALUES (\(ByteBuffer(bytes: SecretToken.digest(token))), \(setup.walletID))
                    """)
                return token
            }
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                let page = try await editor.get("/portal/loyalty/rewards/\(setup.rewardID)")
                #expect(page.text.contains("No photo yet."))
                let wrong = try await editor.upload(
                    "/portal/loyalty/rewards/\(setup.rewardID)/image", file: ("image", "spoon.png", "image/png", Array("GIF89a".utf8)))
                #expect(wrong.status == .unsupportedMediaType)
                #expect(wrong.text.contains("This file is not a PNG, JPEG or WebP image."))
                let uploaded = try await editor.upload(
                    "/portal/loyalty/rewards/\(setup.rewardID)/image", file: ("image", "spoon.png", "image/png", ProductImageTests.png))
                #expect(uploaded.status == .seeOther)
                let url = try #require(try await database.withClient {
                    try await $0.scalar("SELECT image_url FROM rewards WHERE id = \(setup.rewardID)", as: String.self)
                })
                #expect(url.hasPrefix("/media/products/") && url.hasSuffix(".png"))
                #expect(try await editor.get("/portal/loyalty/rewards/\(setup.rewardID)").text.contains(url))

                let wallet = try await client.execute(uri: "/wallet", method: .get, headers: [.cookie: "signet_wallet=\(walletToken)", .acceptLanguage: "es"])
                #expect(wallet.text.contains("<img class=\"wallet__reward-image\" src=\"\(url)\""))
                #expect(wallet.text.contains("Número de monedero \(setup.walletID)"))
                let image = try await client.execute(uri: url, method: .get)
                #expect(image.status == .ok)
                #expect(image.headers[.contentType] == "image/png")
                #expect(Array(image.body.readableBytesView) == ProductImageTests.png)

                #expect(try await editor.post("/portal/loyalty/rewards/\(setup.rewardID)/image/remove", [:]).status == .seeOther)
                let after = try await client.execute(uri: "/wallet", method: .get, headers: [.cookie: "signet_wallet=\(walletToken)"])
                #expect(!after.text.contains("wallet__reward-image"))
            }
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT action FROM audit_events WHERE action LIKE 'reward.%image' ORDER BY id")
                == ["reward.set_image", "reward.remove_image"])
        }
    }

    @Test("through the API: PUT the image (200 with its URL, listed with the reward), a body that is not the declared type is a 415, DELETE is a 204")
    func api() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let setup = try await database.withClient { client in try await RedemptionTests.setUp(client, points: 0, cost: 50, stock: nil) }
            let key = try await APIClientFixture.key(database, brand: "demo", scopes: [.loyaltyWrite, .loyaltyRead])
            try await withTestApp(database) { client in
                let headers: HTTPFields = [.authorization: "Bearer \(key)", .contentType: "image/png", .accept: "application/json"]
                let put = try await client.execute(
                    uri: "/api/v1/rewards/\(setup.rewardID)/image", method: .put, headers: headers, body: ByteBuffer(bytes: ProductImageTests.png))
                #expect(put.status == .ok)
                let url = try #require(put.json["image_url"] as? String)
                let listed = try await client.api(.get, "/api/v1/rewards", key: key)
                let items = try #require(listed.json["items"] as? [[String: Any]])
                #expect(items.first { ($0["id"] as? Int).map(Int64.init) == setup.rewardID }?["image_url"] as? String == url)
                var jpeg = headers
                jpeg[.contentType] = "image/jpeg"
                let mismatch = try await client.execute(
                    uri: "/api/v1/rewards/\(setup.rewardID)/image", method: .put, headers: jpeg, body: ByteBuffer(bytes: ProductImageTests.png))
                #expect(mismatch.status == .unsupportedMediaType)
                #expect(try await client.api(.put, "/api/v1/rewards/987654/image", key: key, json: "{}").status == .notFound)
                #expect(try await client.api(.delete, "/api/v1/rewards/\(setup.rewardID)/image", key: key).status == .noContent)
            }
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT coalesce(image_url, 'none') FROM rewards WHERE id = \(setup.rewardID)") == ["none"])
        }
    }
}
