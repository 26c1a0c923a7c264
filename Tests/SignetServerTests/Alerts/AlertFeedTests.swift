import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import PostgresNIO
import SignetServer
import Testing

/// The inbox's live feed over real HTTP: Server-Sent Events with ids,
/// resumed after `Last-Event-ID`, with heartbeats, ending after its lifetime.
@Suite("Live alert feed")
struct AlertFeedTests {
    /// The feed's events as (id, JSON data), in order.
    static func events(_ text: String) -> [(id: Int64, data: [String: Any])] {
        text.components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n").map(String.init)
            guard lines.contains("event: alert"),
                  let id = lines.first(where: { $0.hasPrefix("id: ") }).flatMap({ Int64($0.dropFirst(4)) }),
                  let data = lines.first(where: { $0.hasPrefix("data: ") })?.dropFirst(6),
                  let json = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]
            else { return nil }
            return (id, json)
        }
    }

    @Test("a feed resumed with Last-Event-ID sends the alerts after it, then new ones as they come, with heartbeats")
    func resume() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await AlertAPITests.seedAlerts(database)
            let ids = try await database.withClient { client in
                try await client.query("SELECT id FROM alerts ORDER BY id", logger: Logger(label: "t")).collect().map { try $0.decode(Int64.self) }
            }
            // Long enough for the late alert to pass the stream's horizon (the whole suite's
            // write transactions hold it back), short of the test client's 20 s read timeout.
            let app = try await makeTestApplication(database, alertFeedLifetime: .seconds(12), alertFeedHeartbeat: .seconds(1))
            try await app.testShuttingDownWithin(.live) { client in
                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                let inbox = try await viewer.get("/portal/alerts")
                #expect(inbox.text.contains(#"data-alert-feed="/portal/alerts/feed""#))
                #expect(inbox.text.contains(#"<script src="/js/alert-feed.js" defer></script>"#))
                #expect(!(try await viewer.get("/portal/alerts?type=counterfeit")).text.contains("data-alert-feed"))

                // An alert recorded while the feed is open reaches it.
                let late = Task {
                    try await Task.sleep(for: .seconds(1))
                    return try await database.withClient { client in
                        try await client.scalar("""
                            INSERT INTO alerts (brand_id, type, consultation_id, scanned_at, gtin, serial, country, verdict)
                            SELECT id, 'counterfeit', 99, now(), '03760123450003', 'LATE', 'ES', 'counterfeit' FROM brands WHERE slug = 'demo'
                            RETURNING id
                            """, as: Int64.self)
                    }
                }
                let feed = try await viewer.get("/portal/alerts/feed", headers: [.init("Last-Event-ID")!: String(ids[0])])
                let lateID = try #require(try await late.value)
                #expect(feed.status == .ok)
                #expect(feed.headers[.contentType] == "text/event-stream; charset=utf-8")
                let events = Self.events(feed.text)
                #expect(events.map(\.id) == [ids[1], ids[2], lateID])
                #expect(events.map { $0.data["serial"] as? String } == ["H00001", "X2", "LATE"])
                #expect(events.first?.data["typeLabel"] as? String == (try UIStrings.text("alert_type_geo_jump", .en)))
                #expect(feed.text.contains(": heartbeat\n\n"))
                #expect(feed.text.hasPrefix("retry: 3000\n"))

                // Without Last-Event-ID the feed starts after the newest alert.
                let fresh = try await viewer.get("/portal/alerts/feed")
                #expect(Self.events(fresh.text).isEmpty)
            }
        }
    }

    /// Inserts a counterfeit alert about `serial` on `connection` and returns its id
    /// (its consultation id clear of the ones `AlertAPITests.seedAlerts` uses).
    static func insertAlert(_ connection: PostgresConnection, serial: String) async throws -> Int64 {
        try await connection.query("""
            INSERT INTO alerts (brand_id, type, consultation_id, scanned_at, gtin, serial, country, verdict)
            SELECT id, 'counterfeit', 1000 + nextval('consultations_id_seq'), now(), '03760123450003', \(serial), 'FR', 'counterfeit'
            FROM brands WHERE slug = 'demo'
            RETURNING id
            """, logger: Logger(label: "t")).collect()[0].decode(Int64.self)
    }

    @Test("an alert whose transaction commits after a later alert's still reaches a feed that reconnects with Last-Event-ID, once")
    func outOfOrderCommits() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await AlertAPITests.seedAlerts(database)
            // Short feeds: the test holds a write transaction open (and so the whole cluster's stream horizon) while one is read.
            let app = try await makeTestApplication(database, alertFeedLifetime: .milliseconds(500), alertFeedHeartbeat: .seconds(1))
            try await database.withClient { db in
                try await app.testShuttingDownWithin(.live) { client in
                    var viewer = PortalBrowser(client)
                    try await viewer.signIn("viewer@demo.test")
                    var lastEventID = try #require(try await db.scalar("SELECT max(id) FROM alerts", as: Int64.self))
                    var received: [Int64] = []
                    /// One feed as a browser reads it, resumed after `after`, until it ends: the ids it sent.
                    @Sendable func feedIDs(_ browser: PortalBrowser, after: Int64) async throws -> [Int64] {
                        var browser = browser
                        let feed = try await browser.get("/portal/alerts/feed", headers: [.init("Last-Event-ID")!: String(after)])
                        #expect(feed.status == .ok)
                        return Self.events(feed.text).map(\.id)
                    }
                    func readFeed() async throws {
                        let ids = try await feedIDs(viewer, after: lastEventID)
                        received += ids
                        lastEventID = ids.last ?? lastEventID
                    }

                    let (signedIn, resumeAfter) = (viewer, lastEventID)
                    let (late, early, first) = try await db.withConnection { slow in
                        // The slower transaction takes the lower id and commits last.
                        try await slow.query("BEGIN", logger: Logger(label: "t"))
                        let late = try await Self.insertAlert(slow, serial: "SLOW")
                        let early = try await db.withConnection { try await Self.insertAlert($0, serial: "FAST") }
                        #expect(late < early)
                        // A feed open now must not send FAST ahead of SLOW: resumed after FAST, it would never send SLOW.
                        let first = try await feedIDs(signedIn, after: resumeAfter)
                        try await slow.query("COMMIT", logger: Logger(label: "t"))
                        return (late, early, first)
                    }
                    received += first
                    lastEventID = first.last ?? lastEventID
                    // The horizon is the whole cluster's: other tests' transactions may hold it back a moment.
                    let deadline = ContinuousClock.now + .seconds(60)
                    while received.count < 2, ContinuousClock.now < deadline { try await readFeed() }
                    #expect(received == [late, early])
                    try await readFeed()
                    #expect(received == [late, early], "nothing twice")
                }
            }
        }
    }
}
