import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

/// The portal's alert inbox: scans raise alerts, the inbox lists and filters
/// them, editors and owners acknowledge, resolve with a note and reopen, the
/// navigation counts what is open.
@Suite("Alert inbox")
struct AlertInboxTests {
    @Test("scans raise alerts the inbox lists, filters, counts, and lets editors acknowledge, resolve and reopen; viewers only read")
    func inbox() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database, .live) { client in
                _ = try await client.execute(uri: "/01/03760123450003/21/X1?t=AAAAAAAAAAAAAAAA", method: .get, headers: [.xForwardedFor: "192.0.2.7"])
                _ = try await client.execute(uri: "/01/03760123450003/21/X2?t=AAAAAAAAAAAAAAAA", method: .get, headers: [.xForwardedFor: "198.51.100.9"])
                #expect(try await AlertRecordingTests.alerts(database, count: 2) == ["counterfeit:X1:FR", "counterfeit:X2:DE"])

                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                let inbox = try await editor.get("/portal/alerts")
                #expect(inbox.status == .ok)
                #expect(inbox.text.contains(#"data-open-alerts="2""#))
                #expect(inbox.text.components(separatedBy: #"data-alert-type="counterfeit""#).count - 1 == 2)
                let explanation = try UIStrings.text("alert_explain_counterfeit", .en).replacingOccurrences(of: "{country}", with: "France")
                #expect(inbox.text.contains(UIStrings.escape(explanation)))
                let french = try await editor.get("/portal/alerts?country=FR")
                #expect(french.text.contains("<code>X1</code>") && !french.text.contains("<code>X2</code>"))
                let none = try await editor.get("/portal/alerts?type=geo_jump")
                #expect(none.text.contains(try UIStrings.html("portal_alerts_none", .en)))
                #expect(try await editor.get("/portal/alerts?type=nope").status == .unprocessableContent)

                let x1 = try #require(try await database.withClient { try await $0.scalar("SELECT id FROM alerts WHERE serial = 'X1'", as: Int64.self) })
                let acknowledged = try await editor.post("/portal/alerts/\(x1)/status", ["status": "acknowledged", "back": "/portal/alerts?country=FR"])
                #expect(acknowledged.status == .seeOther && acknowledged.headers[.location] == "/portal/alerts?country=FR")
                let open = try await editor.get("/portal/alerts")
                #expect(!open.text.contains("<code>X1</code>") && open.text.contains("<code>X2</code>"))
                #expect(open.text.contains(#"data-open-alerts="1""#))
                #expect(try await editor.get("/portal/alerts?status=acknowledged").text.contains("editor@demo.test"))

                #expect(try await editor.post("/portal/alerts/\(x1)/status", ["status": "resolved", "note": "Shop <b>warned</b>"]).status == .seeOther)
                let resolved = try await editor.get("/portal/alerts?status=resolved")
                #expect(resolved.text.contains("Shop &lt;b&gt;warned&lt;/b&gt;"))
                #expect(try await editor.post("/portal/alerts/\(x1)/status", ["status": "open"]).status == .seeOther)
                #expect(try await editor.get("/portal/alerts").text.contains(#"data-open-alerts="2""#))
                #expect(try await editor.post("/portal/alerts/999999/status", ["status": "resolved"]).status == .notFound)
                #expect(try await editor.post("/portal/alerts/\(x1)/status", ["status": "gone"]).status == .badRequest)

                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                let read = try await viewer.get("/portal/alerts?lang=fr")
                #expect(read.status == .ok)
                #expect(read.text.contains(try UIStrings.html("alert_type_counterfeit", .fr)))
                #expect(!read.text.contains("/status\""), "no actions for viewers")
                #expect(try await viewer.post("/portal/alerts/\(x1)/status", ["status": "resolved"]).status == .forbidden)
            }
            let trail = try await database.withClient { client in
                try await client.query("SELECT action FROM audit_events WHERE subject LIKE 'alert:%' ORDER BY id", logger: .init(label: "t"))
                    .collect().map { try $0.decode(String.self) }
            }
            #expect(trail == ["alert.acknowledged", "alert.resolved", "alert.open"])
            let status = try await database.withClient { try await $0.scalar("SELECT status FROM alerts WHERE serial = 'X1'", as: String.self) }
            #expect(status == "open")
        }
    }

    @Test("every_scan alerts are informational: not counted as open nor in the open view, but listed when asked for; a rule with inbox on counts them")
    func everyScanIsInformational() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await AlertRecordingTests.enable(database, "every_scan")
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database, .live) { client in
                _ = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00241"), method: .get, headers: [.xForwardedFor: "192.0.2.7"])
                _ = try await client.execute(uri: "/01/03760123450003/21/X1?t=AAAAAAAAAAAAAAAA", method: .get, headers: [.xForwardedFor: "198.51.100.9"])
                // The counterfeit scan raises both a counterfeit alert and its every_scan record.
                #expect(try await AlertRecordingTests.alerts(database, count: 3).sorted()
                        == ["counterfeit:X1:DE", "every_scan:H00241:FR", "every_scan:X1:DE"])

                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                let open = try await viewer.get("/portal/alerts")
                #expect(open.text.contains(#"data-open-alerts="1""#), "only the counterfeit is open")
                #expect(open.text.contains(#"data-alert-type="counterfeit""#))
                #expect(!open.text.contains(#"data-alert-type="every_scan""#))
                #expect(!open.text.contains("data-alert-feed-informational"), "the live open view leaves new scan records out too")
                let scans = try await viewer.get("/portal/alerts?type=every_scan")
                #expect(scans.text.components(separatedBy: #"data-alert-type="every_scan""#).count - 1 == 2)
                let all = try await viewer.get("/portal/alerts?status=all")
                #expect(all.text.components(separatedBy: "data-alert-type=").count - 1 == 3)
                #expect(all.text.contains("data-alert-feed-informational"))

                let openByAPI = try await client.api(.get, "/api/v1/alerts?status=open", key: key)
                #expect((openByAPI.json["items"] as? [[String: Any]])?.map { $0["type"] as? String } == ["counterfeit"])
                let scansByAPI = try await client.api(.get, "/api/v1/alerts?status=open&type=every_scan", key: key)
                let records = try #require(scansByAPI.json["items"] as? [[String: Any]])
                #expect(records.count == 2 && records.allSatisfy { $0["informational"] as? Bool == true })

                // A brand that wants every scan in its inbox says so in the rule.
                try await database.withClient {
                    try await $0.run(#"UPDATE alert_rules SET settings = '{"inbox": true}' WHERE kind = 'every_scan'"#)
                }
                _ = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00242"), method: .get, headers: [.xForwardedFor: "192.0.2.7"])
                #expect(try await AlertRecordingTests.alerts(database, count: 4).last == "every_scan:H00242:FR")
                let counted = try await viewer.get("/portal/alerts")
                #expect(counted.text.contains(#"data-open-alerts="2""#))
                #expect(counted.text.contains("<code>H00242</code>") && !counted.text.contains("<code>H00241</code>"))
            }
        }
    }
}
