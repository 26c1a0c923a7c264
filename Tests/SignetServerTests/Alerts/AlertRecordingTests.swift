import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import PostgresNIO
import SignetCore
import SignetServer
import Testing

/// Scans through the server, alerts recorded by the `alerts` consumer of the
/// consultation stream under the brand's rules.
@Suite("Alerts raised by scans")
struct AlertRecordingTests {
    static let logger = Logger(label: "alerts-test")

    /// The brand's alerts as "type:serial:country", waiting for `count` of them.
    /// The stream's horizon is the whole cluster's oldest write transaction, and
    /// the suite's other tests hold some open for seconds, so the wait is long;
    /// it ends as soon as the alerts are there.
    static func alerts(_ database: TestDatabase, count: Int) async throws -> [String] {
        let deadline = ContinuousClock.now + .seconds(90)
        while true {
            let rows = try await database.withClient { client in
                try await client.query("""
                    SELECT a.type || ':' || coalesce(a.serial, '-') || ':' || a.country
                    FROM alerts a JOIN brands b ON b.id = a.brand_id WHERE b.slug = 'demo' ORDER BY a.id
                    """, logger: logger).collect().map { try $0.decode(String.self) }
            }
            if rows.count >= count || ContinuousClock.now > deadline { return rows }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func enable(_ database: TestDatabase, _ kind: String, settings: String = "{}") async throws {
        try await database.withClient { client in
            try await client.query("""
                INSERT INTO alert_rules (brand_id, kind, settings)
                SELECT id, \(kind), \(settings)::jsonb FROM brands WHERE slug = 'demo'
                """, logger: logger)
        }
    }

    @Test("every brand starts with the counterfeit rule: a wrong token raises one alert, a genuine scan none")
    func counterfeitByDefault() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database, .live) { client in
                let genuine = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00201"), method: .get,
                                                       headers: [.xForwardedFor: "192.0.2.7"])
                #expect(genuine.text.contains(#"data-verdict="genuine_first""#))
                let forged = try await client.execute(uri: "/01/03760123450003/21/H00202?t=AAAAAAAAAAAAAAAA", method: .get,
                                                      headers: [.xForwardedFor: "198.51.100.9"])
                #expect(forged.text.contains(#"data-verdict="counterfeit""#))
                #expect(try await Self.alerts(database, count: 1) == ["counterfeit:H00202:DE"])
            }
        }
    }

    @Test("a brand's rules raise geo jumps, off-market scans and serial probing, once each")
    func brandRules() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await Self.enable(database, "geo_jump", settings: #"{"jump_minutes": 60}"#)
            try await Self.enable(database, "off_market", settings: #"{"markets": ["FR", "DE"]}"#)
            try await database.withClient { client in
                try await client.query(
                    #"UPDATE alert_rules SET settings = '{"probing_threshold": 3}' WHERE kind = 'counterfeit'"#, logger: Self.logger)
            }
            try await withTestApp(database, .live) { client in
                let path = demo.path(DemoFixture.honey, serial: "H00203")
                _ = try await client.execute(uri: path, method: .get, headers: [.xForwardedFor: "192.0.2.7"])   // FR
                _ = try await client.execute(uri: path, method: .get, headers: [.xForwardedFor: "203.0.113.5"]) // ES, minutes later
                for serial in ["X1", "X2", "X3", "X4"] {
                    _ = try await client.execute(uri: "/01/03760123450003/21/\(serial)?t=AAAAAAAAAAAAAAAA", method: .get,
                                                 headers: [.xForwardedFor: "198.51.100.9", .userAgent: "prober"])
                }
                let alerts = try await Self.alerts(database, count: 7)
                #expect(alerts == [
                    "geo_jump:H00203:ES", "off_market:H00203:ES",
                    "counterfeit:X1:DE", "counterfeit:X2:DE", "counterfeit:X3:DE", "serial_probing:X3:DE", "counterfeit:X4:DE",
                ])
            }
        }
    }

    @Test("two servers running the alerts consumer record each of 40 counterfeit scans exactly once, and the probing once")
    func twoServers() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let first = try await makeTestApplication(database)
            let second = try await makeTestApplication(database)
            try await first.testShuttingDownWithin(.router) { one in
                try await second.testShuttingDownWithin(.router) { two in
                    for index in 0..<40 {
                        let client = index.isMultiple(of: 2) ? one : two
                        _ = try await client.execute(uri: "/01/03760123450003/21/Z\(index)?t=AAAAAAAAAAAAAAAA", method: .get)
                    }
                    // One client, so one visitor: the tenth counterfeit also reaches the default probing threshold.
                    let alerts = try await Self.alerts(database, count: 41)
                    #expect(alerts.filter { $0.hasPrefix("counterfeit:") }.count == 40)
                    #expect(Set(alerts).count == 41)
                    #expect(alerts.filter { $0.hasPrefix("serial_probing:") } == ["serial_probing:Z9:unknown"])
                }
            }
        }
    }

    @Test("off_market follows the seal batch's intended markets, and the rule's own list only for seals whose batch names none")
    func offMarketByBatch() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await Self.enable(database, "off_market", settings: #"{"markets": ["DE"]}"#)
            try await database.withClient { client in
                try await client.run("""
                    WITH batch AS (
                        INSERT INTO seal_batches (brand_id, product_id, source, quantity, initial_status, intended_markets, created_by)
                        SELECT brand_id, id, 'imported', 2, 'active', '{JP,FR}', 'test' FROM products WHERE gtin = '03760123450003'
                        RETURNING id, product_id)
                    UPDATE seals s SET batch_id = batch.id FROM batch
                    WHERE s.product_id = batch.product_id AND s.serial IN ('H00211', 'H00212')
                    """)
            }
            try await withTestApp(database, .live) { client in
                let scans = [("H00211", "192.0.2.7"), ("H00212", "198.51.100.9"), ("H00213", "198.51.100.9"), ("H00214", "203.0.113.5")]
                for (serial, address) in scans {
                    _ = try await client.execute(uri: demo.path(DemoFixture.honey, serial: serial), method: .get,
                                                 headers: [.xForwardedFor: address])
                }
                // H00211 in France and H00212 in Germany: the batch (Japan, France) decides over the rule's Germany.
                // H00213 in Germany and H00214 in Spain have no batch markets: the rule's list decides.
                #expect(try await Self.alerts(database, count: 2) == ["off_market:H00212:DE", "off_market:H00214:ES"])
                let markets = try await database.withClient { client in
                    try await client.query("SELECT detail->>'markets' FROM alerts ORDER BY id", logger: Self.logger)
                        .collect().map { try $0.decode(String.self) }
                }
                #expect(markets == ["FR,JP", "DE"])
            }
        }
    }

    @Test("off_market follows the countries of the partner a unit was shipped to: a parallel-market sale is caught")
    func offMarketByPartner() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await Self.enable(database, "off_market", settings: #"{"markets": ["DE", "ES"]}"#)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database, .live) { client in
                let partner = try await client.api(.post, "/api/v1/partners", key: key, json: """
                    {"gln": "\(EPCISFixture.distributorGLN)", "name": "Distribution Île-de-France", "kind": "distributor", "countries": ["fr"]}
                    """)
                #expect(partner.status == .created && partner.json["countries"] as? [String] == ["FR"])
                let shipped = try await client.capture(EPCISFixture.document([
                    EPCISFixture.shipping("urn:uuid:market-0001", ["H00241", "H00242"].map(EPCISFixture.honey),
                                          to: EPCISFixture.distributorGLN, at: "2027-03-01T12:00:00+01:00"),
                ]), key: key)
                #expect(shipped.json["captured"] as? Int == 1)
                #expect(try await client.api(.get, "/api/v1/partners/\(EPCISFixture.distributorGLN)", key: key).json["units_held"] as? Int == 2)
                // H00241 sold in France (its partner's market); H00242 turns up in Germany; H00243, never shipped, follows the rule.
                let scans = [("H00241", "192.0.2.7"), ("H00242", "198.51.100.9"), ("H00243", "192.0.2.7")]
                for (serial, address) in scans {
                    _ = try await client.execute(uri: demo.path(DemoFixture.honey, serial: serial), method: .get,
                                                 headers: [.xForwardedFor: address])
                }
                #expect(try await Self.alerts(database, count: 2) == ["off_market:H00242:DE", "off_market:H00243:FR"])
            }
        }
    }

    @Test("an every_scan alert carries the scan's lot and the page's language to the API, the webhook and the inbox")
    func everyScanLotAndLanguage() async throws {
        try await WebhookReceiver.run { base, receiver in
            try await withTestDatabase { database in
                let demo = try await DemoFixture.seed(database)
                try await Self.enable(database, "every_scan")
                try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
                let key = try await APIClientFixture.key(database, brand: "demo")
                try await withTestApp(database, .live) { client in
                    let created = try await client.api(.post, "/api/v1/webhooks", key: key, json: """
                        {"url": "\(base)/hooks", "types": ["every_scan"]}
                        """)
                    #expect(created.status == .created)
                    let page = try await client.execute(
                        uri: demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00231"), method: .get,
                        headers: [.xForwardedFor: "192.0.2.7", .acceptLanguage: "fr-FR,fr;q=0.9"])
                    #expect(page.headers[.contentLanguage] == "fr")
                    #expect(try await Self.alerts(database, count: 1) == ["every_scan:H00231:FR"])

                    let listed = try await client.api(.get, "/api/v1/alerts?type=every_scan", key: key)
                    let alert = try #require((listed.json["items"] as? [[String: Any]])?.first)
                    #expect(alert["lot"] as? String == "HL2406")
                    #expect(alert["language"] as? String == "fr")

                    let delivery = try #require(try await receiver.waitFor(1).first)
                    let data = try #require(delivery.json["data"] as? [String: Any])
                    #expect(data["type"] as? String == "every_scan")
                    #expect(data["lot"] as? String == "HL2406")
                    #expect(data["language"] as? String == "fr")
                    #expect(data["informational"] as? Bool == true)

                    var viewer = PortalBrowser(client)
                    try await viewer.signIn("viewer@demo.test")
                    let inbox = try await viewer.get("/portal/alerts?type=every_scan")
                    #expect(inbox.text.contains("HL2406"))
                    #expect(inbox.text.contains("Français"))
                }
            }
        }
    }

    @Test("a rule narrowed to one lot raises alerts for that lot's seals only")
    func lotNarrowedRule() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await database.withClient { client in
                try await client.query("""
                    INSERT INTO alert_rules (brand_id, kind, lot_ids)
                    SELECT l.brand_id, 'every_scan', ARRAY[l.id] FROM lots l WHERE l.code = 'OL2410'
                    """, logger: Self.logger)
            }
            try await withTestApp(database, .live) { client in
                for (gtin, lot, serial) in [(DemoFixture.honey, "HL2406", "H00241"), (DemoFixture.oliveOil, "OL2410", "O00241")] {
                    let page = try await client.execute(uri: demo.path(gtin, lot: lot, serial: serial), method: .get,
                                                        headers: [.xForwardedFor: "192.0.2.7"])
                    #expect(page.status == .ok)
                }
                // The honey scan committed first, so the stream handed it over in the olive oil's batch or an
                // earlier one: once the olive oil's alert is there, a honey alert would be too.
                #expect(try await Self.alerts(database, count: 1) == ["every_scan:O00241:FR"])
            }
        }
    }

    @Test("with deactivation on, a seal verified in more sessions than the brand allows is deactivated: its next scan says inactive")
    func sessionLimitDeactivatesSeal() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await Self.enable(database, "scan_sessions_exceeded", settings: #"{"deactivate_seal": true}"#)
            try await database.withClient { try await $0.run("UPDATE brands SET session_limit = 2 WHERE slug = 'demo'") }
            try await withTestApp(database, .live) { client in
                let path = demo.path(DemoFixture.honey, serial: "H00221")
                // Three visitors, three sessions: one more than the brand allows.
                var verdicts: [String] = []
                for (address, agent) in [("192.0.2.7", "first"), ("192.0.2.8", "second"), ("192.0.2.9", "third")] {
                    let page = try await client.execute(uri: path, method: .get, headers: [.xForwardedFor: address, .userAgent: agent])
                    verdicts.append(page.text.contains(#"data-verdict="suspicious""#) ? "suspicious" : "other")
                }
                #expect(verdicts == ["other", "other", "suspicious"])
                #expect(try await Self.alerts(database, count: 1) == ["scan_sessions_exceeded:H00221:FR"])
                let status = try await database.withClient { client in
                    try await client.scalar("""
                        SELECT s.status FROM seals s JOIN products p ON p.id = s.product_id
                        WHERE p.gtin = '03760123450003' AND s.serial = 'H00221'
                        """, as: String.self)
                }
                #expect(status == "deactivated")
                let next = try await client.execute(uri: path, method: .get, headers: [.xForwardedFor: "192.0.2.10", .userAgent: "fourth"])
                #expect(next.text.contains(#"data-verdict="inactive""#))
                // Another seal of the same product is untouched.
                let other = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00222"), method: .get,
                                                     headers: [.xForwardedFor: "192.0.2.7"])
                #expect(other.text.contains(#"data-verdict="genuine_first""#))
            }
        }
    }

    @Test("two servers running the alerts consumer over 10,000 consultations committed out of order record each alert exactly once")
    func twoConsumersManyConsultations() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let first = try await makeTestApplication(database)
            let second = try await makeTestApplication(database)
            try await first.testShuttingDownWithin(.router) { _ in
                try await second.testShuttingDownWithin(.router) { _ in
                    // Four writers, 25 transactions of 100 counterfeit consultations each, committing in any order.
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for writer in 0..<4 {
                            group.addTask {
                                try await database.withClient { client in
                                    for round in 0..<25 {
                                        try await client.withTransaction(logger: Self.logger) { connection in
                                            try await connection.query("""
                                                INSERT INTO consultations (brand_id, gtin, serial, country, served_language, verdict, channel)
                                                SELECT b.id, '03760123450003', 'W' || \(writer) || '-' || \(round) || '-' || g, 'FR', 'fr',
                                                       'counterfeit', 'qr'
                                                FROM brands b, generate_series(1, 100) g WHERE b.slug = 'demo'
                                                """, logger: Self.logger)
                                            try await connection.query("SELECT pg_sleep(random() * 0.05)", logger: Self.logger)
                                        }
                                    }
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                    let alerts = try await Self.alerts(database, count: 10_000)
                    #expect(alerts.count == 10_000)
                    #expect(Set(alerts).count == 10_000)
                    let (consultations, span) = try await database.withClient { client in
                        try await client.query("""
                            SELECT count(DISTINCT consultation_id)::integer, (max(id) - min(id) + 1)::integer FROM alerts
                            """, logger: Self.logger).collect()[0].decode((Int, Int).self)
                    }
                    #expect(consultations == 10_000)
                    // No batch was evaluated twice: a second insert of the same alerts, though refused by
                    // UNIQUE (consultation_id, type), would still have used up identity values.
                    #expect(span == 10_000)
                }
            }
        }
    }
}
