import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
@testable import SignetServer
import Testing

/// Customer service adds or takes back points, with a reason, in the ledger.
@Suite("Loyalty point adjustments")
struct PointsAdjustmentTests {
    @Test("an editor adds points with a reason (ledger, audit, balance); taking back more than held is a 409; an unknown wallet a 404; bad input a 422; a viewer a 403")
    func portal() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let setup = try await database.withClient { client in try await RedemptionTests.setUp(client, points: 200, cost: 100, stock: nil) }
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                let page = try await editor.get("/portal/loyalty?lang=de")
                #expect(page.text.contains("Punkte einer Geldbörse anpassen"))
                let added = try await editor.post("/portal/loyalty/adjustments", [
                    "wallet": "#\(setup.walletID)", "points": "50", "reason": "Scan on a broken phone, ticket 8812",
                ])
                #expect(added.status == .ok)
                #expect(added.text.contains("Done: wallet \(setup.walletID) now holds 250 points."))
                let tooMuch = try await editor.post("/portal/loyalty/adjustments", ["wallet": "\(setup.walletID)", "points": "-251", "reason": "error"])
                #expect(tooMuch.status == .conflict)
                #expect(tooMuch.text.contains("The wallet holds fewer points than you are taking back."))
                let unknown = try await editor.post("/portal/loyalty/adjustments", ["wallet": "999999", "points": "5", "reason": "x"])
                #expect(unknown.status == .notFound)
                #expect(unknown.text.contains("No wallet with this number holds points of this brand."))
                let zero = try await editor.post("/portal/loyalty/adjustments", ["wallet": "\(setup.walletID)", "points": "0", "reason": "x"])
                #expect(zero.status == .unprocessableContent)
                #expect(zero.text.contains("not 0"))
                let noReason = try await editor.post("/portal/loyalty/adjustments", ["wallet": "\(setup.walletID)", "points": "5", "reason": "  "])
                #expect(noReason.status == .unprocessableContent)
                #expect(noReason.text.contains("Give a reason"))

                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                #expect(!(try await viewer.get("/portal/loyalty").text.contains("/portal/loyalty/adjustments")))
                #expect(try await viewer.post("/portal/loyalty/adjustments", ["wallet": "\(setup.walletID)", "points": "500", "reason": "me"]).status == .forbidden)
            }
            #expect(try await LoyaltyClaimTests.rows(database, """
                SELECT kind || ' ' || points || ' ' || balance_after || ' ' || reason || ' ' || actor FROM loyalty_ledger WHERE kind = 'adjust'
                """) == ["adjust 50 250 Scan on a broken phone, ticket 8812 user:editor@demo.test"])
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT points::text FROM loyalty_balances") == ["250"])
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT action || ' ' || subject FROM audit_events WHERE action = 'loyalty.adjust'")
                == ["loyalty.adjust wallet:\(setup.walletID)"])
            try await LedgerCheck.balancesMatch(database)
        }
    }

    @Test("through the API: 200 with the new balance, a retried Idempotency-Key adjusts once, 409 past zero, 404 for a wallet without points here, 422 for 0 points")
    func api() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let setup = try await database.withClient { client in try await RedemptionTests.setUp(client, points: 100, cost: 100, stock: nil) }
            let key = try await APIClientFixture.key(database, brand: "demo", scopes: [.loyaltyWrite, .loyaltyRead])
            let readOnly = try await APIClientFixture.key(database, brand: "demo", scopes: [.loyaltyRead], name: "reader")
            try await withTestApp(database) { client in
                let body = #"{"wallet": \#(setup.walletID), "points": -40, "reason": "points earned on a returned product"}"#
                let first = try await client.api(.post, "/api/v1/loyalty/adjustments", key: key, json: body, headers: [.idempotencyKey: "ticket-1"])
                #expect(first.status == .ok)
                #expect(first.json["balance"] as? Int == 60)
                let retried = try await client.api(.post, "/api/v1/loyalty/adjustments", key: key, json: body, headers: [.idempotencyKey: "ticket-1"])
                #expect(retried.status == .ok)
                #expect(retried.json["balance"] as? Int == 60, "the retry answers the first call's result")
                let past = try await client.api(.post, "/api/v1/loyalty/adjustments", key: key,
                                                json: #"{"wallet": \#(setup.walletID), "points": -61, "reason": "too much"}"#)
                #expect(past.status == .conflict)
                let stranger = try await client.api(.post, "/api/v1/loyalty/adjustments", key: key, json: #"{"wallet": 424242, "points": 5, "reason": "x"}"#)
                #expect(stranger.status == .notFound)
                let zero = try await client.api(.post, "/api/v1/loyalty/adjustments", key: key,
                                                json: #"{"wallet": \#(setup.walletID), "points": 0, "reason": "x"}"#)
                #expect(zero.status == .unprocessableContent)
                let reader = try await client.api(.post, "/api/v1/loyalty/adjustments", key: readOnly, json: body)
                #expect(reader.status == .forbidden)
                let programme = try await client.api(.get, "/api/v1/loyalty", key: key)
                #expect((programme.json["totals"] as? [String: Any])?["adjusted"] as? Int == -40)
            }
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT points::text FROM loyalty_balances") == ["60"])
            try await LedgerCheck.balancesMatch(database)
        }
    }

    @Test("ten concurrent take-backs of 30 points from a 100-point wallet: exactly 3 succeed, balance 10")
    func concurrentTakeBacks() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await database.withClient { client in
                let setup = try await RedemptionTests.setUp(client, points: 100, cost: 100, stock: nil)
                let store = LoyaltyStore(database: client, logger: Logger(label: "t"))
                let adjustment = PointsAdjustment(walletID: setup.walletID, points: -30, reason: "duplicate scans")
                let outcomes = await withTaskGroup(of: Bool.self) { group in
                    for _ in 0..<10 {
                        group.addTask { (try? await store.adjust(adjustment, brandID: setup.brandID, actor: .commandLine)) != nil }
                    }
                    return await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 }.count == 3)
                #expect(try await client.scalar("SELECT points FROM loyalty_balances", as: Int.self) == 10)
            }
            try await LedgerCheck.balancesMatch(database)
        }
    }
}
