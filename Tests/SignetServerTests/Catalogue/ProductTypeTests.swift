import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Product types")
struct ProductTypeTests {
    @Test("an editor creates a type named in two languages, files a product under it and filters the list by it; a taken code is 409")
    func portal() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                try await browser.get("/portal/product-types")
                let created = try await browser.post("/portal/product-types", ["code": "wine", "name_en": "Wine", "name_fr": "Vin"])
                #expect(created.status == .seeOther)
                let again = try await browser.post("/portal/product-types", ["code": "wine", "name_en": "Wine again"])
                #expect(again.status == .conflict)
                #expect(again.text.contains(try UIStrings.html("portal_error_product_type_taken", .en)))
                let badCode = try await browser.post("/portal/product-types", ["code": "Red Wine!", "name_en": "Red"])
                #expect(badCode.status == .unprocessableContent)

                let french = try await browser.get("/portal/product-types?lang=fr")
                #expect(french.text.contains("Vin"))
                #expect(try await browser.post("/portal/products", ["gtin": "4006381333931", "name": "Château Test", "product_type": "wine"]).status == .seeOther)
                let unknown = try await browser.post("/portal/products", ["gtin": "4006381333948", "name": "Other", "product_type": "beer"])
                #expect(unknown.status == .unprocessableContent)
                #expect(unknown.text.contains(try UIStrings.html("portal_error_product_type_unknown", .en)))

                let wines = try await browser.get("/portal/products?type=wine")
                #expect(wines.text.contains("Château Test"))
                #expect(!wines.text.contains(try DemoFixture.productName(DemoFixture.honey, .en)))
                let food = try await browser.get("/portal/products?type=food")
                #expect(food.text.contains(try DemoFixture.productName(DemoFixture.honey, .en)))
                #expect(!food.text.contains("Château Test"))

                #expect(try await browser.post("/portal/product-types/wine", ["name_en": "Wines", "name_de": "Wein"]).status == .seeOther)
                let names = try await database.withClient {
                    try await $0.scalar("SELECT names::text FROM product_types WHERE code = 'wine'", as: String.self)
                }
                #expect(names == #"{"de": "Wein", "en": "Wines"}"#)
                #expect(try await browser.post("/portal/product-types/nope", ["name_en": "X"]).status == .notFound)
                let audit = try await database.withClient {
                    try await $0.scalar("SELECT count(*) FROM audit_events WHERE action LIKE 'product_type.%'", as: Int.self)
                }
                #expect(audit == 2)
            }
        }
    }

    @Test("a viewer sees the types but may not create or rename them")
    func viewer() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("viewer@demo.test")
                let page = try await browser.get("/portal/product-types")
                #expect(page.status == .ok && page.text.contains("Cosmetics"))
                #expect(!page.text.contains("name=\"code\""))
                #expect(try await browser.post("/portal/product-types", ["code": "wine", "name_en": "Wine"]).status == .forbidden)
                #expect(try await browser.post("/portal/product-types/food", ["name_en": "Eats"]).status == .forbidden)
            }
        }
    }

    @Test("the API lists, creates and renames types, filters products by type and lists a product's lots")
    func api() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let list = try await client.api(.get, "/api/v1/product-types", key: key)
                let items = try #require(list.json["items"] as? [[String: Any]])
                #expect(items.compactMap { $0["code"] as? String } == ["cosmetics", "food"])
                #expect(items.last?["product_count"] as? Int == 2)

                let created = try await client.api(.post, "/api/v1/product-types", key: key, json: #"{"code": "wine", "names": {"en": "Wine", "fr": "Vin"}}"#)
                #expect(created.status == .created)
                #expect(created.json["product_count"] as? Int == 0)
                #expect(try await client.api(.post, "/api/v1/product-types", key: key, json: #"{"code": "wine", "names": {"en": "W"}}"#).status == .conflict)
                let bad = try await client.api(.post, "/api/v1/product-types", key: key, json: #"{"code": "Wine", "names": {"xx": "W"}}"#)
                #expect(bad.status == .unprocessableContent)
                let fields = Set(((bad.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
                #expect(fields == ["code", "names.xx"])
                let renamed = try await client.api(.put, "/api/v1/product-types/wine", key: key, json: #"{"names": {"de": "Wein"}}"#)
                #expect((renamed.json["names"] as? [String: String]) == ["de": "Wein"])
                #expect(try await client.api(.put, "/api/v1/product-types/beer", key: key, json: #"{"names": {"de": "Bier"}}"#).status == .notFound)

                let cosmetics = try await client.api(.get, "/api/v1/products?product_type=cosmetics", key: key)
                #expect(((cosmetics.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["gtin"] as? String } == [DemoFixture.cream.digits])

                let lots = try await client.api(.get, "/api/v1/products/\(DemoFixture.oliveOil.digits)/lots", key: key)
                let codes = Set(((lots.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String })
                #expect(codes == ["OL2410", "OL2402"])
            }
        }
    }
}
