import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Audit log page")
struct AuditLogPageTests {
    @Test("owners read who changed what, newest first and by kind; editors and viewers get 403")
    func ownersOnly() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                #expect(try await editor.post("/portal/product-types", ["code": "wine", "name_en": "Wine"]).status == .seeOther)
                #expect(try await editor.post("/portal/products/\(DemoFixture.oliveOil.digits)/lots", ["code": "NEWLOT"]).status == .seeOther)
                #expect(try await editor.get("/portal/audit").status == .forbidden)
                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                #expect(try await viewer.get("/portal/audit").status == .forbidden)
                #expect(!(try await viewer.get("/portal/products")).text.contains("/portal/audit"), "the menu hides what the role may not open")

                var owner = PortalBrowser(client)
                try await owner.signIn("owner@demo.test")
                let page = try await owner.get("/portal/audit")
                #expect(page.status == .ok)
                let lot = try #require(page.text.range(of: "lot.create"))
                let type = try #require(page.text.range(of: "product_type.create"))
                #expect(lot.lowerBound < type.lowerBound, "newest first")
                #expect(page.text.contains("editor@demo.test"))
                #expect(page.text.contains("lot:\(DemoFixture.oliveOil.digits)/NEWLOT"))
                let lots = try await owner.get("/portal/audit?family=lot")
                #expect(lots.text.contains("lot.create") && !lots.text.contains("product_type.create"))
            }
        }
    }
}
