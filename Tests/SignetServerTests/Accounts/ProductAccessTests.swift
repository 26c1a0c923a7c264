import HTTPTypes
import HummingbirdTesting
import SignetCore
import SignetServer
import Testing

/// Users and keys narrowed to some product types and products see and change
/// only those, on every page and call; widening gives everything back.
@Suite("Access narrowed to product types and products")
struct ProductAccessTests {
    static func seedConsultations(_ database: TestDatabase) async throws {
        try await database.withClient { client in
            try await client.run("""
                INSERT INTO consultations (brand_id, product_id, gtin, serial, country, served_language, verdict, channel)
                SELECT p.brand_id, p.id, p.gtin, 'Z-' || p.gtin, 'FR', 'en', 'genuine_first', 'qr' FROM products p
                """)
        }
    }

    @Test("an editor narrowed to cosmetics and the olive oil sees and changes only those, in every portal page")
    func portal() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await Self.seedConsultations(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await AccountsFixture.user(database, brand: "demo", email: "ed@demo.test", role: .editor)
            let (edID, honeySeal) = try await database.withClient { client in
                (try await client.scalar("SELECT id FROM users WHERE email = 'ed@demo.test'", as: Int64.self)!,
                 try await client.scalar("SELECT id FROM seals WHERE serial = 'H00001'", as: Int64.self)!)
            }
            try await withTestApp(database) { client in
                var owner = PortalBrowser(client)
                try await owner.signIn("owner@demo.test")
                try await owner.get("/portal/users")
                let narrowed = try await owner.post("/portal/users/\(edID)/access", [
                    "type_cosmetics": "on", "product_\(DemoFixture.oliveOil.digits)": "on",
                ])
                #expect(narrowed.status == .seeOther)
                let users = try await owner.get("/portal/users")
                #expect(users.text.contains("Cosmetics, \(try DemoFixture.productName(DemoFixture.oliveOil, .en))"))
                let ownerID = try await database.withClient { try await $0.scalar("SELECT id FROM users WHERE email = 'owner@demo.test'", as: Int64.self)! }
                #expect(try await owner.post("/portal/users/\(ownerID)/access", ["type_food": "on"]).status == .conflict)

                var ed = PortalBrowser(client)
                try await ed.signIn("ed@demo.test")
                let honey = try DemoFixture.productName(DemoFixture.honey, .en)
                let list = try await ed.get("/portal/products")
                #expect(list.text.contains(try DemoFixture.productName(DemoFixture.cream, .en)))
                #expect(list.text.contains(try DemoFixture.productName(DemoFixture.oliveOil, .en)))
                #expect(!list.text.contains(honey))
                #expect(try await ed.get("/portal/products/\(DemoFixture.honey.digits)").status == .notFound)
                #expect(try await ed.post("/portal/products/\(DemoFixture.honey.digits)/lots", ["code": "NOPE"]).status == .notFound)
                #expect(try await ed.get("/portal/products/\(DemoFixture.cream.digits)").status == .ok)
                #expect(!(try await ed.get("/portal/seals?serial=H00001")).text.contains("H00001</code>"))
                #expect(try await ed.get("/portal/seals/\(honeySeal)").status == .notFound)
                let consultations = try await ed.get("/portal/consultations")
                #expect(consultations.text.contains("Z-\(DemoFixture.cream.digits)"))
                #expect(!consultations.text.contains("Z-\(DemoFixture.honey.digits)"))
                #expect(!(try await ed.get("/portal/consultations.csv")).text.contains("Z-\(DemoFixture.honey.digits)"))
                try await ed.get("/portal/seals")
                let batch = try await ed.post("/portal/seals/batches", [
                    "gtin": DemoFixture.honey.digits, "quantity": "5", "serial_length": "10", "initial_status": "active",
                ])
                #expect(batch.status == .unprocessableContent)
                #expect(try await ed.post("/portal/products", ["gtin": "4006381333931", "name": "Lip balm", "product_type": "cosmetics"]).status == .seeOther)
                #expect(try await ed.post("/portal/products", ["gtin": "4006381333948", "name": "Jam", "product_type": "food"]).status == .forbidden)
                #expect(try await ed.post("/portal/products", ["gtin": "4006381333948", "name": "Jam"]).status == .forbidden)
                #expect(try await ed.post("/portal/product-types", ["code": "wine", "name_en": "Wine"]).status == .forbidden)
                #expect(try await ed.get("/portal/products/04006381333931").status == .ok, "a new product of a granted type is reachable at once")

                try await owner.get("/portal/users")
                #expect(try await owner.post("/portal/users/\(edID)/access", [:]).status == .seeOther)
                #expect((try await ed.get("/portal/products")).text.contains(honey), "no box ticked gives every product back")
                let audit = try await database.withClient {
                    try await $0.scalar("SELECT count(*)::int FROM audit_events WHERE action = 'user.set_access'", as: Int.self)
                }
                #expect(audit == 2)
            }
        }
    }

    @Test("an API key narrowed to a product type reads, lists and changes only its products")
    func api() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await Self.seedConsultations(database)
            let key = try await APIClientFixture.key(database, brand: "demo", access: ProductAccessGrant(productTypeCodes: ["cosmetics"]))
            try await withTestApp(database) { client in
                let products = try await client.api(.get, "/api/v1/products", key: key)
                #expect(((products.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["gtin"] as? String } == [DemoFixture.cream.digits])
                #expect(try await client.api(.get, "/api/v1/products/\(DemoFixture.honey.digits)", key: key).status == .notFound)
                #expect(try await client.api(.put, "/api/v1/products/\(DemoFixture.oliveOil.digits)/lots/OL2402/recall", key: key,
                                             json: #"{"notice": {"en": "no"}}"#).status == .notFound)
                let consultations = try await client.api(.get, "/api/v1/consultations", key: key)
                #expect(((consultations.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["gtin"] as? String } == [DemoFixture.cream.digits])
                let batch = try await client.api(.post, "/api/v1/seal-batches", key: key, json: #"{"gtin": "\#(DemoFixture.honey.digits)", "quantity": 5}"#)
                #expect(batch.status == .unprocessableContent)
                #expect(try await client.api(.post, "/api/v1/product-types", key: key, json: #"{"code": "wine", "names": {"en": "Wine"}}"#).status == .forbidden)
                let created = try await client.api(.post, "/api/v1/products", key: key, json: """
                    {"gtin": "4006381333931", "default_language": "en", "product_type": "cosmetics", "translations": {"en": {"name": "Lip balm"}}}
                    """)
                #expect(created.status == .created)
                let outside = try await client.api(.post, "/api/v1/products", key: key, json: """
                    {"gtin": "4006381333948", "default_language": "en", "translations": {"en": {"name": "Jam"}}}
                    """)
                #expect(outside.status == .forbidden)
                let stored = try await database.withClient {
                    try await $0.scalar("SELECT count(*)::int FROM products WHERE gtin = '04006381333948'", as: Int.self)
                }
                #expect(stored == 0)
            }
        }
    }
}
