import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
@testable import SignetServer
import Testing

/// The programme through the API: terms, rewards, redemptions, cancel.
@Suite("Loyalty through the API")
struct LoyaltyAPITests {
    @Test("a key sets the terms, adds a reward in two languages (422 without the default language's name), archives it, lists and cancels redemptions once; a key without the scope gets 403")
    func programme() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let setup = try await database.withClient { client in try await RedemptionTests.setUp(client, points: 200, cost: 100, stock: 4) }
            let code = try await setup.voucher(database)
            let key = try await APIClientFixture.key(database, brand: "demo", scopes: [.loyaltyRead, .loyaltyWrite], name: "crm")
            let reader = try await APIClientFixture.key(database, brand: "demo", scopes: [.productsRead], name: "erp")
            try await withTestApp(database) { client in
                #expect(try await client.api(.get, "/api/v1/loyalty", key: reader).status == .forbidden)
                let terms = try await client.api(.put, "/api/v1/loyalty", key: key,
                                                 json: #"{"enabled": true, "points": 25, "daily_claims": 4, "claim_gap_seconds": 5, "expiry_days": 90}"#)
                #expect(terms.status == .ok)
                #expect((terms.json["terms"] as? [String: Any])?["points"] as? Int == 25)
                #expect((terms.json["totals"] as? [String: Any])?["issued"] as? Int == 200)
                #expect((terms.json["totals"] as? [String: Any])?["outstanding"] as? Int == 100)
                let bad = try await client.api(.put, "/api/v1/loyalty", key: key,
                                               json: #"{"enabled": true, "points": 0, "daily_claims": 4, "claim_gap_seconds": 5}"#)
                #expect(bad.status == .unprocessableContent)

                let missing = try await client.api(.post, "/api/v1/rewards", key: key,
                                                   json: #"{"point_cost": 30, "default_language": "en", "texts": {"fr": {"name": "Tablier"}}}"#)
                #expect(missing.status == .unprocessableContent)
                let created = try await client.api(.post, "/api/v1/rewards", key: key, json: """
                    {"point_cost": 30, "stock": 10, "default_language": "en",
                     "texts": {"en": {"name": "Apron", "description": "Linen"}, "fr": {"name": "Tablier"}}}
                    """)
                #expect(created.status == .created)
                let rewardID = try #require(created.json["id"] as? Int)
                #expect((created.json["texts"] as? [String: Any])?.keys.sorted() == ["en", "fr"])
                let replaced = try await client.api(.put, "/api/v1/rewards/\(rewardID)", key: key, json: """
                    {"point_cost": 35, "default_language": "fr", "texts": {"fr": {"name": "Tablier en lin"}}}
                    """)
                #expect(replaced.status == .ok)
                #expect(replaced.json["point_cost"] as? Int == 35 && replaced.json["stock"] == nil)
                #expect((replaced.json["texts"] as? [String: Any])?.keys.sorted() == ["fr"])
                #expect(try await client.api(.put, "/api/v1/rewards/999999", key: key, json: """
                    {"point_cost": 35, "default_language": "fr", "texts": {"fr": {"name": "x"}}}
                    """).status == .notFound)
                let archived = try await client.api(.post, "/api/v1/rewards/\(rewardID)/archive", key: key)
                #expect(archived.json["archived"] as? Bool == true)
                let active = try await client.api(.get, "/api/v1/rewards", key: key)
                #expect(!((active.json["items"] as? [[String: Any]]) ?? []).contains { $0["id"] as? Int == rewardID })

                let issued = try await client.api(.get, "/api/v1/redemptions?status=issued", key: key)
                let items = try #require(issued.json["items"] as? [[String: Any]])
                #expect(items.count == 1)
                #expect(items.first?["code"] as? String == VoucherCode(reading: code)?.description)
                let id = try #require(items.first?["id"] as? Int)
                let cancelled = try await client.api(.post, "/api/v1/redemptions/\(id)/cancel", key: key)
                #expect(cancelled.status == .ok)
                #expect(cancelled.json["status"] as? String == "cancelled")
                #expect(try await client.api(.post, "/api/v1/redemptions/\(id)/cancel", key: key).status == .conflict)
                #expect(try await client.api(.post, "/api/v1/redemptions/999999/cancel", key: key).status == .notFound)
            }
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT points::text FROM loyalty_balances") == ["200"])
            try await LedgerCheck.balancesMatch(database)
        }
    }
}
