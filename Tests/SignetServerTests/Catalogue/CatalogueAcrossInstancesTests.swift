import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
import SignetServer
import Testing

/// Two servers on one database, as behind a load balancer: what one of them
/// (or anyone with SQL) changes in the catalogue, the other's next scans show,
/// though scans read the catalogue from memory. It takes milliseconds; the
/// waits below are long only so a loaded machine cannot fail them.
@Suite("The in-memory catalogue across instances")
struct CatalogueAcrossInstancesTests {
    /// Asks `client` for `path` every 20 ms until the page contains `text`;
    /// returns how long that took, or nil after `limit`.
    static func timeUntil(
        _ client: any TestClientProtocol, _ path: String, shows text: String, limit: Duration = .seconds(10)
    ) async throws -> Duration? {
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start <= limit {
            let page = try await client.execute(uri: path, method: .get, headers: [.acceptLanguage: "en"])
            if page.text.contains(text) { return clock.now - start }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    @Test("a recall made through one server reaches the other's next scan")
    func recallAcrossServers() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            let first = try await makeTestApplication(database)
            let second = try await makeTestApplication(database)
            try await first.testShuttingDownWithin(.router) { writer in
                try await second.testShuttingDownWithin(.router) { reader in
                    let before = try await reader.execute(
                        uri: demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00003"), method: .get, headers: [.acceptLanguage: "en"])
                    #expect(before.text.contains(#"data-verdict="genuine_first""#))

                    let recalled = try await writer.api(.put, "/api/v1/products/03760123450003/lots/HL2406/recall", key: key,
                                                        json: #"{"notice": {"en": "Return it to the shop: glass fragments."}}"#)
                    #expect(recalled.status == .ok)
                    // The lot's product page records nothing, so it can be asked until it shows the recall.
                    let took = try await Self.timeUntil(reader, "/01/03760123450003/10/HL2406", shows: "Return it to the shop: glass fragments.")
                    #expect(took != nil, "the other server did not show the recall")

                    let scan = try await reader.execute(
                        uri: demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00004"), method: .get, headers: [.acceptLanguage: "en"])
                    #expect(scan.text.contains(#"data-verdict="recalled""#))
                    #expect(scan.text.contains("Return it to the shop: glass fragments."))
                    let logged = try await database.withClient { client in
                        try await client.scalar("SELECT verdict FROM consultations WHERE serial = 'H00004'", as: String.self)
                    }
                    #expect(logged == "recalled")
                }
            }
        }
    }

    @Test("a deactivated seal is inactive on the very next scan of any server")
    func deactivationIsImmediate() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            let first = try await makeTestApplication(database)
            let second = try await makeTestApplication(database)
            try await first.testShuttingDownWithin(.router) { one in
                try await second.testShuttingDownWithin(.router) { two in
                    let path = demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00005")
                    #expect(try await one.execute(uri: path, method: .get).text.contains(#"data-verdict="genuine_first""#))
                    try await database.withClient { client in
                        try await client.query("UPDATE seals SET status = 'deactivated' WHERE serial = 'H00005'", logger: Logger(label: "t"))
                    }
                    #expect(try await two.execute(uri: path, method: .get).text.contains(#"data-verdict="inactive""#))
                    #expect(try await one.execute(uri: path, method: .get).text.contains(#"data-verdict="inactive""#))
                }
            }
        }
    }

    @Test("a change made with plain SQL reaches every server through the trigger")
    func directSQL() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                try await database.withClient { sql in
                    try await sql.query("""
                        UPDATE product_translations SET name = 'Lavender honey, spring harvest'
                        WHERE language = 'en' AND product_id = (SELECT id FROM products WHERE gtin = '03760123450003')
                        """, logger: Logger(label: "t"))
                    try await sql.query("UPDATE brands SET support_email = 'quality@example.com' WHERE slug = 'demo'", logger: Logger(label: "t"))
                }
                let took = try await Self.timeUntil(client, "/01/03760123450003", shows: "Lavender honey, spring harvest")
                #expect(took != nil)
                // The brand's row is a notification of its own, which may be applied a batch later.
                #expect(try await Self.timeUntil(client, "/01/03760123450003", shows: "mailto:quality@example.com") != nil)
                let scan = try await client.execute(
                    uri: demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00006"), method: .get, headers: [.acceptLanguage: "en"])
                #expect(scan.text.contains("Lavender honey, spring harvest"))
                #expect(scan.text.contains("mailto:quality@example.com"))
            }
        }
    }

    @Test("without notifications, the periodic reload still brings changes in")
    func periodicReload() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let app = try await makeTestApplication(database, catalogueRefreshInterval: .milliseconds(300))
            try await app.testShuttingDownWithin(.router) { client in
                try await database.withClient { sql in
                    // Silence the trigger for this change only, as a lost notification would.
                    let logger = Logger(label: "t")
                    try await sql.withTransaction(logger: logger) { connection in
                        try await connection.query(
                            "ALTER TABLE product_translations DISABLE TRIGGER product_translations_notify_catalogue", logger: logger)
                        try await connection.query("""
                            UPDATE product_translations SET name = 'Honey, reloaded'
                            WHERE language = 'en' AND product_id = (SELECT id FROM products WHERE gtin = '03760123450003')
                            """, logger: logger)
                        try await connection.query(
                            "ALTER TABLE product_translations ENABLE TRIGGER product_translations_notify_catalogue", logger: logger)
                    }
                }
                let took = try await Self.timeUntil(client, "/01/03760123450003", shows: "Honey, reloaded")
                #expect(took != nil)
            }
        }
    }

    @Test("after losing its connection the listener reconnects, reloads, and /health says when it was deaf")
    func reconnects() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                #expect(try await client.execute(uri: "/health", method: .get).text.contains(#""catalogue":"current""#))
                try await database.withClient { sql in
                    let logger = Logger(label: "t")
                    // Every connection of the server to this database, the listener's included.
                    try await sql.query("""
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid()
                        """, logger: logger)
                    try await sql.query("""
                        UPDATE product_translations SET name = 'Honey heard again'
                        WHERE language = 'en' AND product_id = (SELECT id FROM products WHERE gtin = '03760123450003')
                        """, logger: logger)
                }
                let took = try await Self.timeUntil(client, "/01/03760123450003", shows: "Honey heard again")
                #expect(took != nil)
                #expect(try await client.execute(uri: "/health", method: .get).text.contains(#""catalogue":"current""#))
            }
        }
    }
}
