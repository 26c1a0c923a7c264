import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Lots and recalls from the portal")
struct LotRecallTests {
    @Test("recalling a lot changes the verdict of its seals' next scans, with the notice in the scanner's language")
    func recall() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            let lotID = try #require(try await database.withClient {
                try await $0.scalar("SELECT l.id FROM lots l JOIN products p ON p.id = l.product_id WHERE p.gtin = '03760123450003' AND l.code = 'HL2406'", as: Int64.self)
            })
            try await withTestApp(database) { client in
                let sealPath = demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00001")
                let before = try await client.execute(uri: sealPath, method: .get, headers: [.acceptLanguage: "de"])
                #expect(!before.text.contains("data-verdict=\"recalled\""))

                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                try await browser.get("/portal/products/03760123450003")
                let recalled = try await browser.post(
                    "/portal/products/03760123450003/lots/\(lotID)/recall",
                    ["notice_de": "Bitte nicht verzehren: Glassplitter möglich.", "notice_en": "Do not eat: may contain glass."])
                #expect(recalled.status == .seeOther)

                let after = try await client.execute(uri: sealPath, method: .get, headers: [.acceptLanguage: "de"])
                #expect(after.text.contains("data-verdict=\"recalled\""))
                #expect(after.text.contains("Bitte nicht verzehren: Glassplitter möglich."))

                try await browser.get("/portal/products/03760123450003")
                #expect(try await browser.post("/portal/products/03760123450003/lots/\(lotID)/release").status == .seeOther)
                let released = try await client.execute(uri: sealPath, method: .get, headers: [.acceptLanguage: "de"])
                #expect(!released.text.contains("data-verdict=\"recalled\""))
            }
            let actions = try await database.withClient { client in
                var actions: [String] = []
                for try await action in try await client.query("SELECT action FROM audit_events WHERE action LIKE 'lot.%' ORDER BY id", logger: .init(label: "t")).decode(String.self) {
                    actions.append(action)
                }
                return actions
            }
            #expect(actions == ["lot.recall", "lot.release"])
        }
    }

    @Test("a new lot needs a GS1 code, real dates in order, and a code not used by the product yet")
    func createLot() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                try await browser.get("/portal/products/03760123450003")
                let bad = try await browser.post(
                    "/portal/products/03760123450003/lots", ["code": "LOT 1", "produced_on": "2026-02-30", "expires_on": ""])
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains(try UIStrings.html("portal_error_lot_code_invalid", .en)))
                #expect(bad.text.contains(try UIStrings.html("portal_error_date_invalid", .en)))
                let order = try await browser.post(
                    "/portal/products/03760123450003/lots", ["code": "HL2701", "produced_on": "2027-01-10", "expires_on": "2026-01-10"])
                #expect(order.text.contains(try UIStrings.html("portal_error_dates_order", .en)))
                let taken = try await browser.post("/portal/products/03760123450003/lots", ["code": "HL2406"])
                #expect(taken.text.contains(try UIStrings.html("portal_error_lot_taken", .en)))
                let created = try await browser.post(
                    "/portal/products/03760123450003/lots", ["code": "HL2701", "produced_on": "2027-01-10", "expires_on": "2029-01-10"])
                #expect(created.status == .seeOther)
                let page = try await browser.get("/portal/products/03760123450003")
                #expect(page.text.contains("HL2701") && page.text.contains("2029-01-10"))
            }
        }
    }
}
