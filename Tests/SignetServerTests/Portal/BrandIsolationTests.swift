import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
import SignetServer
import Testing

/// Brand B's manager aims every portal route at brand A's rows (the demo
/// brand): each must answer 403/404 (or 409 for a taken GTIN), show nothing of
/// A, and change nothing. The table must name every portal route the router
/// has, so a route added without a case here fails the first test.
@Suite("Brand isolation in the portal")
struct BrandIsolationTests {
    struct Probe: Sendable {
        var method: HTTPRequest.Method
        var uri: String
        var fields: [String: String] = [:]
        var allowed: Set<HTTPResponse.Status> = [.notFound, .forbidden]
    }

    enum Target: Sendable {
        /// The route names no brand-owned row (sign-in, own session, own brand's list).
        case notBrandOwned(String)
        case probes([Probe])
    }

    /// `{lot}`, `{batch}` and `{seal}` stand for brand A's ids, `{ownGTIN}` for brand B's own product.
    static let table: [String: Target] = [
        "GET /portal": .notBrandOwned("redirects to the product list"),
        "GET /portal/sign-in": .notBrandOwned("the sign-in form"),
        "POST /portal/sign-in": .notBrandOwned("the e-mail names the user"),
        "GET /portal/welcome/{token}": .notBrandOwned("the token names the user"),
        "POST /portal/welcome/{token}": .notBrandOwned("the token names the user"),
        "POST /portal/sign-out": .notBrandOwned("ends the caller's own session"),
        "POST /portal/sign-out-everywhere": .notBrandOwned("ends the caller's own sessions"),
        "GET /portal/products/new": .notBrandOwned("an empty form"),
        "GET /portal/products": .probes([Probe(method: .get, uri: "/portal/products", allowed: [.ok])]),
        "POST /portal/products": .probes([
            Probe(method: .post, uri: "/portal/products", fields: ["gtin": "03760123450003", "name": "Mine now"], allowed: [.conflict]),
        ]),
        "GET /portal/products/{gtin}": .probes([Probe(method: .get, uri: "/portal/products/03760123450003")]),
        "POST /portal/products/{gtin}": .probes([
            Probe(method: .post, uri: "/portal/products/03760123450003", fields: ["default_language": "en", "en_name": "Mine now", "version": "0"]),
        ]),
        "POST /portal/products/{gtin}/lots": .probes([
            Probe(method: .post, uri: "/portal/products/03760123450003/lots", fields: ["code": "STOLEN"]),
        ]),
        "POST /portal/products/{gtin}/lots/{lot}/recall": .probes([
            Probe(method: .post, uri: "/portal/products/03760123450003/lots/{lot}/recall", fields: ["notice_en": "Recalled by B"]),
            Probe(method: .post, uri: "/portal/products/{ownGTIN}/lots/{lot}/recall", fields: ["notice_en": "Recalled by B"]),
        ]),
        "GET /portal/seals": .probes([Probe(method: .get, uri: "/portal/seals?serial=H00001", allowed: [.ok])]),
        "POST /portal/seals/batches": .probes([
            Probe(method: .post, uri: "/portal/seals/batches",
                  fields: ["gtin": "03760123450003", "quantity": "5", "serial_length": "10", "initial_status": "active"],
                  allowed: [.unprocessableContent]),
        ]),
        "GET /portal/seals/batches/{batch}": .probes([Probe(method: .get, uri: "/portal/seals/batches/{batch}")]),
        "GET /portal/seals/batches/{batch}/seals.csv": .probes([Probe(method: .get, uri: "/portal/seals/batches/{batch}/seals.csv")]),
        "POST /portal/seals/batches/{batch}/activate": .probes([Probe(method: .post, uri: "/portal/seals/batches/{batch}/activate")]),
        "POST /portal/seals/batches/{batch}/deactivate": .probes([Probe(method: .post, uri: "/portal/seals/batches/{batch}/deactivate")]),
        "GET /portal/seals/{seal}": .probes([Probe(method: .get, uri: "/portal/seals/{seal}")]),
        "POST /portal/products/{gtin}/lots/{lot}/release": .probes([
            Probe(method: .post, uri: "/portal/products/03760123450003/lots/{lot}/release"),
            Probe(method: .post, uri: "/portal/products/{ownGTIN}/lots/{lot}/release"),
        ]),
    ]

    @Test("every portal route has a case in the isolation table, and every case a route")
    func tableCoversRouter() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let configuration = SignetConfiguration(resourcesDirectory: TestEnvironment.packageRoot)
        let portalRoutes = Set(try await routeList(configuration: configuration, logger: logger).filter { $0.contains(" /portal") })
        #expect(portalRoutes.subtracting(Self.table.keys).sorted() == [], "routes without an isolation case")
        #expect(Set(Self.table.keys).subtracting(portalRoutes).sorted() == [], "cases without a route")
    }

    @Test("brand B's owner gets 403/404 on brand A's rows, sees none of A's data, and changes nothing")
    func crossBrand() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.brand(database, slug: "other")
            try await AccountsFixture.user(database, brand: "other", email: "owner@other.test", role: .owner)
            let lotID = try #require(try await database.withClient { try await $0.scalar("SELECT id FROM lots WHERE status = 'recalled' LIMIT 1", as: Int64.self) })
            let sealID = try #require(try await database.withClient { try await $0.scalar("SELECT id FROM seals WHERE serial = 'H00001'", as: Int64.self) })
            let batchID = try await database.withClient { client in
                let demo = try #require(try await BrandStore(database: client, logger: Logger(label: "t")).find(slug: "demo"))
                return try await SealBatchCommand(database: client, logger: Logger(label: "t")).run(
                    brandID: demo.id,
                    batch: .init(gtin: DemoFixture.honey, lotCode: nil, quantity: 5, serialLength: 10, initialStatus: .pending, markets: [])
                ) { _, _ in }
            }
            let before = try await Self.snapshot(database)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("owner@other.test")
                try await browser.get("/portal/products/new")
                #expect(try await browser.post("/portal/products", ["gtin": "4006381333931", "name": "B's own"]).status == .seeOther)
                let honeyName = try DemoFixture.productName(DemoFixture.honey, .en)
                for (route, target) in Self.table.sorted(by: { $0.key < $1.key }) {
                    guard case .probes(let probes) = target else { continue }
                    for probe in probes {
                        let uri = probe.uri.replacingOccurrences(of: "{lot}", with: "\(lotID)")
                            .replacingOccurrences(of: "{batch}", with: "\(batchID)").replacingOccurrences(of: "{seal}", with: "\(sealID)")
                            .replacingOccurrences(of: "{ownGTIN}", with: "04006381333931")
                        try await browser.get("/portal/products")
                        let response = probe.method == .get ? try await browser.get(uri) : try await browser.post(uri, probe.fields)
                        #expect(probe.allowed.contains(response.status), "\(route) \(uri) answered \(response.status)")
                        #expect(!response.text.contains(honeyName), "\(route) \(uri) shows brand A's product")
                        #expect(!response.text.contains("H00001</code>"), "\(route) \(uri) shows brand A's seal")
                    }
                }
            }
            let after = try await Self.snapshot(database)
            #expect(before == after, "brand A's rows changed")
        }
    }

    /// Brand A's products, texts and lots, as text.
    static func snapshot(_ database: TestDatabase) async throws -> String {
        try await database.withClient { client in
            try await client.scalar("""
                SELECT string_agg(row, E'\\n' ORDER BY row) FROM (
                    SELECT format('%s %s %s %s', p.gtin, p.sku, p.default_language, p.updated_at) AS row FROM products p JOIN brands b ON b.id = p.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('%s %s %s', t.product_id, t.language, t.name) FROM product_translations t JOIN brands b ON b.id = t.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('%s %s %s %s', l.id, l.code, l.status, l.recall_notice) FROM lots l JOIN brands b ON b.id = l.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('seals %s %s', s.status, count(*)) FROM seals s JOIN brands b ON b.id = s.brand_id WHERE b.slug = 'demo' GROUP BY s.status
                    UNION ALL SELECT format('batches %s', count(*)) FROM seal_batches sb JOIN brands b ON b.id = sb.brand_id WHERE b.slug = 'demo'
                ) rows
                """, as: String.self) ?? ""
        }
    }
}
