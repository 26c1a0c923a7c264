import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing

/// Every value reaches PostgreSQL as a bound parameter: injection payloads
/// in text fields are stored as typed, in filters they match nothing, in
/// paths they find nothing, and no table changes but the row asked for.
@Suite("SQL injection through the API")
struct SQLInjectionTests {
    static let payloads = [
        "' OR '1'='1", "'; DROP TABLE products; --", "1); DELETE FROM seals; --", "$$; DROP TABLE brands; $$",
        "\\'; SELECT pg_sleep(5); --", "x' UNION SELECT id, slug FROM brands --",
    ]

    static func counts(_ database: TestDatabase) async throws -> [Int] {
        try await database.withClient { client in
            let row = try await client.query("""
                SELECT (SELECT count(*) FROM brands), (SELECT count(*) FROM products), (SELECT count(*) FROM seals),
                       (SELECT count(*) FROM consultations), (SELECT count(*) FROM users), (SELECT count(*) FROM api_keys),
                       (SELECT count(*) FROM partners), (SELECT count(*) FROM product_types), (SELECT count(*) FROM rewards)
                """, logger: Logger(label: "t")).collect()[0]
            let values = try row.decode((Int, Int, Int, Int, Int, Int, Int, Int, Int).self)
            return [values.0, values.1, values.2, values.3, values.4, values.5, values.6, values.7, values.8]
        }
    }

    @Test("payloads in text fields are stored verbatim and change nothing else; in filters they match nothing; in paths they find nothing")
    func boundParameters() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.brand(database, slug: "other")
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database, apiRateLimit: 0) { client in
                let before = try await Self.counts(database)
                for (index, payload) in Self.payloads.enumerated() {
                    let code = "inj\(index)"
                    let type = try await client.api(.post, "/api/v1/product-types", key: key, json: APIClientFixture.json(["code": code, "names": ["en": payload]]))
                    #expect(type.status == .created)
                    #expect((type.json["names"] as? [String: String])?["en"] == payload)
                    let reward = try await client.api(.post, "/api/v1/rewards", key: key, json: APIClientFixture.json([
                        "point_cost": 5, "default_language": "en", "texts": ["en": ["name": payload, "description": payload]],
                    ]))
                    #expect(reward.status == .created)
                    #expect(((reward.json["texts"] as? [String: Any])?["en"] as? [String: Any])?["name"] as? String == payload)
                }
                let partner = try await client.api(.post, "/api/v1/partners", key: key, json: APIClientFixture.json([
                    "gln": EPCISFixture.distributorGLN, "name": Self.payloads[1], "kind": "distributor", "countries": ["fr"],
                ]))
                #expect(partner.status == .created && partner.json["name"] as? String == Self.payloads[1])
                let after = try await Self.counts(database)
                // Only the rows asked for: product types, rewards and one partner.
                var expected = before
                expected[6] += 1
                expected[7] += Self.payloads.count
                expected[8] += Self.payloads.count
                #expect(after == expected)

                for payload in Self.payloads {
                    let encoded = payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                    for uri in [
                        "/api/v1/consultations?gtin=\(encoded)", "/api/v1/consultations?country=\(encoded)",
                        "/api/v1/products?product_type=\(encoded)", "/api/v1/alerts?serial=\(encoded)",
                        "/api/v1/stats?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&interval=day&country=\(encoded)",
                        "/epcis/events?MATCH_epc=\(encoded)",
                    ] {
                        let response = try await client.api(.get, uri, key: key)
                        #expect(response.status.code < 500, "\(uri)")
                        if response.status == .ok {
                            let items = (response.json["items"] as? [Any]) ?? (response.json["rows"] as? [Any])
                                ?? (response.json["epcisBody"] as? [String: Any]).flatMap { ($0["queryResults"] as? [String: Any]) }
                                    .flatMap { (($0["resultsBody"] as? [String: Any])?["eventList"] as? [Any]) } ?? []
                            #expect(items.isEmpty, "\(uri) matched \(items.count)")
                        }
                    }
                    for uri in ["/api/v1/products/\(encoded)", "/api/v1/partners/\(encoded)", "/api/v1/product-types/\(encoded)x",
                                "/api/v1/rewards/\(encoded)", "/api/v1/seal-batches/\(encoded)"] {
                        let status = try await client.api(.get, uri, key: key).status
                        #expect([.badRequest, .notFound, .unprocessableContent].contains(status), "\(uri): \(status)")
                    }
                }
                #expect(try await Self.counts(database) == after)
            }
        }
    }
}
