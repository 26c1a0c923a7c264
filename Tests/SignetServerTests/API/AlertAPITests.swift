import Foundation
import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

/// `/api/v1/alerts` and `/api/v1/alert-rules` with a brand's key.
@Suite("Alerts API")
struct AlertAPITests {
    /// Three alerts of the demo brand, oldest first: counterfeit X1 (FR), geo jump on H00001 (ES), counterfeit X2 (DE).
    static func seedAlerts(_ database: TestDatabase) async throws {
        try await database.withClient { client in
            try await client.run("""
                INSERT INTO alerts (brand_id, type, consultation_id, scanned_at, product_id, seal_id, gtin, serial, country, verdict, detail)
                SELECT b.id, v.type, v.n, now() - (4 - v.n) * interval '1 minute', p.id, s.id, '03760123450003', v.serial, v.country,
                       v.verdict, v.detail::jsonb
                FROM brands b JOIN products p ON p.brand_id = b.id AND p.gtin = '03760123450003'
                CROSS JOIN (VALUES (1, 'counterfeit', 'X1', 'FR', 'counterfeit', '{"country": "FR"}'),
                                   (2, 'geo_jump', 'H00001', 'ES', 'genuine_seen', '{"country": "ES", "previous_country": "FR", "minutes": "12"}'),
                                   (3, 'counterfeit', 'X2', 'DE', 'counterfeit', '{"country": "DE"}')) AS v (n, type, serial, country, verdict, detail)
                LEFT JOIN seals s ON s.product_id = p.id AND s.serial = v.serial
                WHERE b.slug = 'demo'
                ORDER BY v.n
                """)
        }
    }

    @Test("alerts are listed newest first with filters and a cursor, and acknowledged, resolved with a note and reopened")
    func alerts() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await Self.seedAlerts(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            let readOnly = try await APIClientFixture.key(database, brand: "demo", scopes: [.alertsRead], name: "reader")
            let noAlerts = try await APIClientFixture.key(database, brand: "demo", scopes: [.productsRead], name: "catalogue")
            try await withTestApp(database) { client in
                let all = try await client.api(.get, "/api/v1/alerts", key: key)
                #expect(all.status == .ok)
                let items = try #require(all.json["items"] as? [[String: Any]])
                #expect(items.map { ($0["seal"] as? [String: Any])?["serial"] as? String } == ["X2", "H00001", "X1"])
                #expect(items.map { $0["status"] as? String } == ["open", "open", "open"])
                #expect((items[1]["detail"] as? [String: String])?["previous_country"] == "FR")
                #expect(items[1]["created_at"] is String && items[1]["country"] as? String == "ES")

                let first = try await client.api(.get, "/api/v1/alerts?type=counterfeit&limit=1", key: key)
                #expect((first.json["items"] as? [[String: Any]])?.compactMap { ($0["seal"] as? [String: Any])?["serial"] as? String } == ["X2"])
                let cursor = try #require(first.json["next_cursor"] as? String)
                let second = try await client.api(.get, "/api/v1/alerts?type=counterfeit&limit=1&cursor=\(cursor)", key: key)
                #expect((second.json["items"] as? [[String: Any]])?.compactMap { ($0["seal"] as? [String: Any])?["serial"] as? String } == ["X1"])
                #expect(second.json["next_cursor"] == nil)
                #expect(try await client.api(.get, "/api/v1/alerts?country=DE", key: key).json["items"].map { ($0 as! [Any]).count } == 1)
                let bad = try await client.api(.get, "/api/v1/alerts?type=nope&country=france", key: key)
                #expect(bad.status == .unprocessableContent)
                #expect((bad.json["errors"] as? [[String: Any]])?.count == 2)

                let x1 = try #require((items[2]["id"] as? NSNumber)?.int64Value)
                let acknowledged = try await client.api(.post, "/api/v1/alerts/\(x1)/acknowledge", key: key)
                #expect(acknowledged.status == .ok && acknowledged.json["status"] as? String == "acknowledged")
                let resolved = try await client.api(.post, "/api/v1/alerts/\(x1)/resolve", key: key, json: #"{"note": "Seller warned"}"#)
                #expect(resolved.json["status"] as? String == "resolved" && resolved.json["note"] as? String == "Seller warned")
                #expect(try await client.api(.get, "/api/v1/alerts?status=resolved", key: key).json["items"].map { ($0 as! [Any]).count } == 1)
                let reopened = try await client.api(.post, "/api/v1/alerts/\(x1)/reopen", key: key)
                #expect(reopened.json["status"] as? String == "open" && reopened.json["note"] == nil)
                #expect(try await client.api(.post, "/api/v1/alerts/99999/acknowledge", key: key).status == .notFound)
                #expect(try await client.api(.post, "/api/v1/alerts/\(x1)/acknowledge", key: readOnly).status == .forbidden)
                #expect(try await client.api(.get, "/api/v1/alerts", key: noAlerts).status == .forbidden)
            }
        }
    }

    @Test("alert rules: the counterfeit, tampered, stolen and destroyed rules are there from the start; rules are created, validated, read, replaced and deleted")
    func rules() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let listed = try await client.api(.get, "/api/v1/alert-rules", key: key)
                #expect((listed.json["items"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["counterfeit", "tampered_scanned", "stolen_scanned", "destroyed_scanned"])

                let incomplete = try await client.api(.post, "/api/v1/alert-rules", key: key,
                                                      json: #"{"kind": "exceptional_country", "products": ["123"], "product_types": ["nope"]}"#)
                #expect(incomplete.status == .unprocessableContent)
                #expect(Set((incomplete.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [])
                        == ["products", "settings.watch_list"])
                // Without markets of its own, an off_market rule follows each seal's batch.
                let batchMarkets = try await client.api(.post, "/api/v1/alert-rules", key: key, json: #"{"kind": "off_market"}"#)
                #expect(batchMarkets.status == .created)
                #expect((batchMarkets.json["settings"] as? [String: Any])?.isEmpty == true)
                let unknownType = try await client.api(.post, "/api/v1/alert-rules", key: key,
                                                       json: #"{"kind": "off_market", "product_types": ["nope"], "settings": {"markets": ["FR"]}}"#)
                #expect(unknownType.status == .unprocessableContent)

                let created = try await client.api(.post, "/api/v1/alert-rules", key: key, json: """
                    {"kind": "off_market", "products": ["3760123450003"], "settings": {"markets": ["FR", "DE"]}}
                    """)
                #expect(created.status == .created)
                #expect(created.json["products"] as? [String] == ["03760123450003"])
                #expect((created.json["settings"] as? [String: Any])?["markets"] as? [String] == ["FR", "DE"])
                let id = try #require((created.json["id"] as? NSNumber)?.int64Value)
                #expect(try await client.api(.get, "/api/v1/alert-rules/\(id)", key: key).json["kind"] as? String == "off_market")

                let replaced = try await client.api(.put, "/api/v1/alert-rules/\(id)", key: key,
                                                    json: #"{"kind": "off_market", "enabled": false, "settings": {"markets": ["ES"]}}"#)
                #expect(replaced.status == .ok && replaced.json["enabled"] as? Bool == false && replaced.json["products"] == nil)
                let stored = try await database.withClient {
                    try await $0.scalar("SELECT enabled::text || settings::text FROM alert_rules WHERE id = \(id)", as: String.self)
                }
                #expect(stored == #"false{"markets": ["ES"]}"#)
                #expect(try await client.api(.delete, "/api/v1/alert-rules/\(id)", key: key).status == .noContent)
                #expect(try await client.api(.get, "/api/v1/alert-rules/\(id)", key: key).status == .notFound)
                #expect(try await client.api(.delete, "/api/v1/alert-rules/\(id)", key: key).status == .notFound)
            }
        }
    }

    @Test("alert rules narrowed to lots: lots by GTIN and code, answered as given; a malformed or unknown lot is a 422 naming it")
    func lotRules() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let created = try await client.api(.post, "/api/v1/alert-rules", key: key, json: """
                    {"kind": "recalled_scanned", "lots": [{"gtin": "3760123450027", "code": "OL2402"}, {"gtin": "03760123450003", "code": "HL2306"}]}
                    """)
                #expect(created.status == .created)
                let lots = (created.json["lots"] as? [[String: Any]])?.map { "\($0["gtin"] ?? "") \($0["code"] ?? "")" }
                #expect(lots == ["03760123450003 HL2306", "03760123450027 OL2402"])
                let stored = try await database.withClient {
                    try await $0.scalar("""
                        SELECT string_agg(l.code, ',' ORDER BY l.code) FROM alert_rules r JOIN lots l ON l.id = ANY (r.lot_ids)
                        WHERE r.kind = 'recalled_scanned'
                        """, as: String.self)
                }
                #expect(stored == "HL2306,OL2402")

                let malformed = try await client.api(.post, "/api/v1/alert-rules", key: key,
                                                     json: #"{"kind": "every_scan", "lots": [{"gtin": "123", "code": "L1"}, {"gtin": "03760123450003", "code": "L 1"}]}"#)
                #expect(malformed.status == .unprocessableContent)
                #expect((malformed.json["errors"] as? [[String: Any]])?.map { $0["field"] as? String } == ["lots", "lots"])
                let unknown = try await client.api(.post, "/api/v1/alert-rules", key: key,
                                                   json: #"{"kind": "every_scan", "lots": [{"gtin": "03760123450003", "code": "OL2402"}]}"#)
                #expect(unknown.status == .unprocessableContent)
                #expect((unknown.json["errors"] as? [[String: Any]])?.first?["message"] as? String == "product 03760123450003 has no lot OL2402")
                let count = try await database.withClient { try await $0.scalar("SELECT count(*) FROM alert_rules", as: Int.self) }
                // The four every brand starts with, and the one created.
                #expect(count == 5)
            }
        }
    }
}
