import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
@testable import SignetServer
import Testing

/// Shops check and use vouchers: a shop login that sees nothing else, and a
/// till's API key that can do nothing else; a voucher is used once.
@Suite("Voucher checks in shops")
struct VoucherCheckTests {
    @Test("a shop's login reaches only the voucher check: it checks a voucher in its language, uses it once, and is turned away from every other page")
    func shopLogin() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let setup = try await database.withClient { client in try await RedemptionTests.setUp(client, points: 100, cost: 100, stock: 5) }
            let code = try await setup.voucher(database)
            try await AccountsFixture.user(database, brand: "demo", email: "till@shop.test", role: .shop)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("till@shop.test")
                let home = try await browser.get("/portal/products")
                #expect(home.status == .seeOther)
                #expect(home.headers[.location] == "/portal/vouchers")
                #expect(try await browser.post("/portal/products", ["gtin": "4006381333931", "name": "Not mine"]).status == .forbidden)
                let page = try await browser.get("/portal/vouchers")
                #expect(page.status == .ok)
                #expect(!page.text.contains("/portal/products"), "the menu offers nothing else")

                let lower = code.lowercased()
                let dashed = "\(lower.prefix(4))-\(lower.dropFirst(4).prefix(4))-\(lower.suffix(4))"
                let checked = try await browser.get("/portal/vouchers?code=\(dashed)&lang=fr")
                #expect(checked.status == .ok)
                #expect(checked.text.contains("Cuillère à miel") || checked.text.contains("Honey spoon"))
                #expect(checked.text.contains("Valable"))
                let used = try await browser.post("/portal/vouchers/use?lang=de", ["code": code])
                #expect(used.status == .ok)
                #expect(used.text.contains("Gutschein verwendet."))
                let again = try await browser.post("/portal/vouchers/use?lang=es", ["code": code])
                #expect(again.status == .conflict)
                #expect(again.text.contains("Ya usado el") && again.text.contains("till@shop.test"))
                #expect(try await browser.get("/portal/vouchers?code=ZZZZ-ZZZZ-ZZZZ").status == .notFound)
                #expect(try await browser.get("/portal/vouchers?code=not-a-code").status == .unprocessableContent)
            }
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT status || ' ' || used_by FROM redemptions") == ["used till@shop.test (shop)"])
        }
    }

    @Test("two tills using one voucher at once through the API: one 200, one 409; a key without the scope gets 403")
    func tills() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let setup = try await database.withClient { client in try await RedemptionTests.setUp(client, points: 100, cost: 100, stock: nil) }
            let code = try await setup.voucher(database)
            let lyon = try await APIClientFixture.key(database, brand: "demo", scopes: [.vouchersUse], name: "till-lyon")
            let lille = try await APIClientFixture.key(database, brand: "demo", scopes: [.vouchersUse], name: "till-lille")
            let reader = try await APIClientFixture.key(database, brand: "demo", scopes: [.productsRead], name: "erp")
            try await withTestApp(database) { client in
                #expect(try await client.api(.get, "/api/v1/vouchers/\(code)", key: reader).status == .forbidden)
                let checked = try await client.api(.get, "/api/v1/vouchers/\(code.lowercased())", key: lyon)
                #expect(checked.status == .ok)
                #expect(checked.json["status"] as? String == "issued")
                #expect(checked.json["reward_name"] as? String == "Honey spoon")
                async let one = client.api(.post, "/api/v1/vouchers/\(code)/use", key: lyon, json: #"{"shop":"Lyon Bellecour"}"#)
                async let two = client.api(.post, "/api/v1/vouchers/\(code)/use", key: lille, json: #"{"shop":"Lille Centre"}"#)
                let statuses = try await [one, two].map(\.status)
                #expect(statuses.sorted { $0.code < $1.code } == [.ok, .conflict])
                let after = try await client.api(.get, "/api/v1/vouchers/\(code)", key: lyon)
                #expect(after.json["status"] as? String == "used")
                #expect((after.json["used_by"] as? String)?.hasPrefix("key till-l") == true)
                #expect(try await client.api(.get, "/api/v1/vouchers/ZZZZZZZZZZZZ", key: lyon).status == .notFound)
            }
        }
    }
}
