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

    @Test("an editor narrows a rule to a product type and lots, edits it from its own page; bad and unknown lots are refused")
    func narrowAndEdit() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                let created = try await editor.post("/portal/alerts/rules", [
                    "kind": "geo_jump", "type_cosmetics": "on", "jump_minutes": "90",
                    "lots": "03760123450003 HL2406\r\n3760123450027\tOL2410\r\n",
                ])
                #expect(created.status == .seeOther)
                func scope() async throws -> String? {
                    try await database.withClient {
                        try await $0.scalar("""
                            SELECT (SELECT string_agg(t.code, ',') FROM product_types t WHERE t.id = ANY (r.product_type_ids)) || ' ' ||
                                   (SELECT string_agg(l.code, ',' ORDER BY l.code) FROM lots l WHERE l.id = ANY (r.lot_ids)) || ' ' ||
                                   coalesce(r.product_ids::text, '-') || ' ' || (r.settings->>'jump_minutes')
                            FROM alert_rules r WHERE r.kind = 'geo_jump'
                            """, as: String.self)
                    }
                }
                #expect(try await scope() == "cosmetics HL2406,OL2410 - 90")
                let list = try await editor.get("/portal/alerts/rules?lang=fr")
                #expect(list.text.contains("Lot 03760123450003 HL2406"))
                let id = try #require(try await database.withClient {
                    try await $0.scalar("SELECT id FROM alert_rules WHERE kind = 'geo_jump'", as: Int64.self)
                })

                // The edit page starts from the stored rule.
                let form = try await editor.get("/portal/alerts/rules/\(id)")
                #expect(form.status == .ok)
                #expect(form.text.contains(#"name="type_cosmetics" checked"#))
                #expect(!form.text.contains(#"name="type_food" checked"#))
                #expect(form.text.contains("03760123450003 HL2406\n03760123450027 OL2410</textarea>"))
                #expect(form.text.contains(#"value="90""#))

                // A line without a lot code, and a lot of another product: each refused in the page's language, nothing changed.
                let bad = try await editor.post("/portal/alerts/rules/\(id)?lang=de", ["kind": "geo_jump", "lots": "03760123450003"])
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains(try UIStrings.html("portal_rule_error_lot_invalid", .de)))
                let unknown = try await editor.post("/portal/alerts/rules/\(id)", ["kind": "geo_jump", "lots": "03760123450003 OL2410"])
                #expect(unknown.status == .unprocessableContent)
                #expect(unknown.text.contains(try UIStrings.html("portal_rule_error_lot", .en)))
                #expect(unknown.text.contains("03760123450003 OL2410</textarea>"))
                #expect(try await scope() == "cosmetics HL2406,OL2410 - 90")

                // Saved: the lots go, a product comes, the type stays as ticked.
                let saved = try await editor.post("/portal/alerts/rules/\(id)", [
                    "kind": "geo_jump", "type_cosmetics": "on", "type_food": "on", "gtins": "03760123450010", "jump_minutes": "45",
                ])
                #expect(saved.status == .seeOther)
                let stored = try await database.withClient {
                    try await $0.scalar("""
                        SELECT array_length(r.product_type_ids, 1)::text || ' ' || coalesce(r.lot_ids::text, 'none') || ' ' ||
                               (SELECT string_agg(p.gtin, ',') FROM products p WHERE p.id = ANY (r.product_ids)) || ' ' ||
                               (r.settings->>'jump_minutes') || ' ' || r.enabled::text
                        FROM alert_rules r WHERE r.id = \(id)
                        """, as: String.self)
                }
                #expect(stored == "2 none 03760123450010 45 true")

                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                #expect(try await viewer.get("/portal/alerts/rules/\(id)").status == .forbidden)
                #expect(try await viewer.post("/portal/alerts/rules/\(id)", ["kind": "geo_jump"]).status == .forbidden)
                #expect(try await editor.get("/portal/alerts/rules/999999").status == .notFound)
            }
        }
    }
}
