import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

/// `/portal/alerts/rules`: editors add, switch and delete rules; viewers read.
@Suite("Alert rules in the portal")
struct AlertRulesPageTests {
    @Test("an editor adds an off-market rule (not without countries), turns it off and deletes it; a viewer only reads")
    func rules() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                let page = try await editor.get("/portal/alerts/rules")
                #expect(page.status == .ok)
                #expect(page.text.contains(#"data-rule="counterfeit""#))

                let missing = try await editor.post("/portal/alerts/rules", ["kind": "exceptional_country", "countries": ""])
                #expect(missing.status == .unprocessableContent)
                #expect(missing.text.contains(try UIStrings.html("portal_rule_error_watch_list", .en)))
                let badCountry = try await editor.post("/portal/alerts/rules", ["kind": "off_market", "countries": "France"])
                #expect(badCountry.status == .unprocessableContent)

                #expect(try await editor.post("/portal/alerts/rules", ["kind": "off_market", "countries": "fr, de"]).status == .seeOther)
                let stored = try await database.withClient {
                    try await $0.scalar("SELECT enabled::text || ' ' || settings::text FROM alert_rules WHERE kind = 'off_market'", as: String.self)
                }
                #expect(stored == #"true {"markets": ["FR", "DE"]}"#)
                let id = try #require(try await database.withClient {
                    try await $0.scalar("SELECT id FROM alert_rules WHERE kind = 'off_market'", as: Int64.self)
                })
                #expect(try await editor.get("/portal/alerts/rules").text.contains("FR, DE"))
                #expect(try await editor.post("/portal/alerts/rules/\(id)/enabled", ["enabled": "false"]).status == .seeOther)
                #expect(try await database.withClient {
                    try await $0.scalar("SELECT enabled FROM alert_rules WHERE id = \(id)", as: Bool.self)
                } == false)

                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                let read = try await viewer.get("/portal/alerts/rules?lang=de")
                #expect(read.text.contains(try UIStrings.html("portal_alert_rules", .de)))
                #expect(!read.text.contains("/delete\""))
                #expect(try await viewer.post("/portal/alerts/rules/\(id)/delete").status == .forbidden)

                #expect(try await editor.post("/portal/alerts/rules/\(id)/delete").status == .seeOther)
                #expect(try await editor.post("/portal/alerts/rules/\(id)/delete").status == .notFound)
            }
            let trail = try await database.withClient { client in
                try await client.query("SELECT action FROM audit_events WHERE subject LIKE 'alert_rule:%' ORDER BY id", logger: .init(label: "t"))
                    .collect().map { try $0.decode(String.self) }
            }
            #expect(trail == ["alert_rule.create", "alert_rule.update", "alert_rule.delete"])
        }
    }
}
