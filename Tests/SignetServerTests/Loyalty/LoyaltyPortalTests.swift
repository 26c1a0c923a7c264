import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
@testable import SignetServer
import Testing

/// The brand's side: terms, rewards, redemptions, totals and the export.
@Suite("Loyalty in the portal")
struct LoyaltyPortalTests {
    @Test("an owner sets the terms and the next scan offers the new points; bad terms are a 422 that saves nothing; a viewer reads but changes nothing")
    func terms() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database) { client in
                var owner = PortalBrowser(client)
                try await owner.signIn("owner@demo.test")
                let page = try await owner.get("/portal/loyalty?lang=fr")
                #expect(page.status == .ok)
                #expect(page.text.contains("Programme de fidélité") && page.text.contains("Coffret découverte"))
                let saved = try await owner.post("/portal/loyalty/settings", [
                    "enabled": "on", "points": "70", "daily_claims": "3", "claim_gap_seconds": "0", "expiry_days": "180",
                ])
                #expect(saved.status == .seeOther)
                var offered = false
                for _ in 0..<40 where !offered {
                    let scan = try await client.execute(
                        uri: demo.path(DemoFixture.cream, serial: "C0020\(Int.random(in: 0...9))"), method: .get, headers: [.acceptLanguage: "en"])
                    offered = scan.text.contains("Claim 70 points")
                    if !offered { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(offered, "the catalogue's notification brings the new terms to the scan page")
                let bad = try await owner.post("/portal/loyalty/settings", ["points": "0", "daily_claims": "x", "claim_gap_seconds": "0"])
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains("Points per scan: a whole number from 1 to 100,000."))

                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                #expect(try await viewer.get("/portal/loyalty").status == .ok)
                #expect(try await viewer.post("/portal/loyalty/settings", ["points": "1", "daily_claims": "1", "claim_gap_seconds": "0"]).status == .forbidden)
                #expect(try await viewer.post("/portal/loyalty/rewards", ["point_cost": "1", "name_en": "x", "default_language": "en"]).status == .forbidden)
            }
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT loyalty_points || ' ' || loyalty_expiry_days FROM brands") == ["70 180"])
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT action FROM audit_events WHERE action = 'loyalty.update'") == ["loyalty.update"])
        }
    }

    @Test("an editor adds a reward in four languages (422 without a name in its default language), archives it; redemptions filter, cancel with a refund once, export as CSV; totals add up")
    func rewardsAndRedemptions() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let setup = try await database.withClient { client in try await RedemptionTests.setUp(client, points: 300, cost: 100, stock: 5) }
            let kept = try await setup.voucher(database)
            let cancelledCode = try await database.withClient { client in
                try await RedemptionStore(database: client, logger: Logger(label: "t"))
                    .redeem(walletID: setup.walletID, brandID: setup.brandID, rewardID: setup.rewardID, idempotencyKey: "second").code.normalized
            }
            let cancelledID = try #require(try await database.withClient {
                try await $0.scalar("SELECT id FROM redemptions WHERE voucher_code = \(cancelledCode)", as: Int64.self)
            })
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                try await editor.get("/portal/loyalty")
                let missing = try await editor.post("/portal/loyalty/rewards", ["point_cost": "40", "name_fr": "Tablier", "default_language": "en"])
                #expect(missing.status == .unprocessableContent)
                #expect(missing.text.contains("Give the reward a name in its default language"))
                #expect(missing.text.contains("Tablier"), "what was typed comes back")
                let added = try await editor.post("/portal/loyalty/rewards", [
                    "point_cost": "40", "stock": "12", "per_wallet_limit": "1", "active_from": "2026-01-01", "active_until": "2030-01-01",
                    "default_language": "en", "name_en": "Apron", "name_fr": "Tablier", "name_de": "Schürze", "name_es": "Delantal",
                    "description_en": "Linen apron",
                ])
                #expect(added.status == .seeOther)
                let rewardID = try #require(try await database.withClient {
                    try await $0.scalar("SELECT reward_id FROM reward_translations WHERE name = 'Apron'", as: Int64.self)
                })
                let edit = try await editor.get("/portal/loyalty/rewards/\(rewardID)?lang=de")
                #expect(edit.status == .ok && edit.text.contains("Prämie bearbeiten") && edit.text.contains("Schürze"))
                let emptied = try await editor.post("/portal/loyalty/rewards/\(rewardID)", ["point_cost": "45", "default_language": "en"])
                #expect(emptied.status == .unprocessableContent)
                let edited = try await editor.post("/portal/loyalty/rewards/\(rewardID)", [
                    "point_cost": "45", "stock": "", "default_language": "en", "name_en": "Linen apron", "name_fr": "Tablier en lin",
                ])
                #expect(edited.status == .seeOther)
                #expect(try await editor.get("/portal/loyalty").text.contains("Linen apron"))
                #expect(try await editor.post("/portal/loyalty/rewards/\(rewardID)/archive", ["archived": "true"]).status == .seeOther)
                #expect(try await editor.post("/portal/loyalty/rewards/999999/archive", ["archived": "true"]).status == .notFound)

                let cancelled = try await editor.post("/portal/loyalty/redemptions/\(cancelledID)/cancel")
                #expect(cancelled.status == .seeOther)
                #expect(try await editor.post("/portal/loyalty/redemptions/\(cancelledID)/cancel").status == .notFound, "refunded once")

                let issued = try await editor.get("/portal/loyalty?status=issued")
                let keptShown = VoucherCode(reading: kept)!.description
                let cancelledShown = VoucherCode(reading: cancelledCode)!.description
                #expect(issued.text.contains(keptShown) && !issued.text.contains(cancelledShown))
                let csv = try await editor.get("/portal/loyalty/redemptions.csv")
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(csv.text.hasPrefix("voucher,reward_id,reward,points,status,issued_at,used_at,used_by\n"))
                #expect(csv.text.contains("\(keptShown),\(setup.rewardID),Honey spoon,100,issued,"))
                #expect(csv.text.contains("\(cancelledShown),\(setup.rewardID),Honey spoon,100,cancelled,"))
                // 300 issued, 200 redeemed, 100 refunded: 200 held.
                let page = try await editor.get("/portal/loyalty")
                #expect(page.text.contains("<dt>Issued</dt><dd>300</dd>"))
                #expect(page.text.contains("<dt>Redeemed (net of refunds)</dt><dd>100</dd>"))
                #expect(page.text.contains("<dt>Held in wallets</dt><dd>200</dd>"))
            }
            #expect(try await LoyaltyClaimTests.rows(database, """
                SELECT r.point_cost || ' ' || coalesce(r.stock::text, 'unlimited') || ' ' || r.archived || ' ' || string_agg(t.language || ':' || t.name, ',' ORDER BY t.language)
                FROM rewards r JOIN reward_translations t ON t.reward_id = r.id WHERE r.point_cost = 45 GROUP BY r.id
                """) == ["45 unlimited true en:Linen apron,fr:Tablier en lin"])
            try await LedgerCheck.balancesMatch(database)
        }
    }
}
