import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
import SignetServer
import Testing

@Suite("Supply chain in the portal")
struct PortalTraceTests {
    @Test("a partner is added; a pallet shipped to it from the portal reaches its units; a return ends its custody; the pages show it")
    func shipAndReturn() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            let key = try await APIClientFixture.key(database, brand: "demo")
            let sealID = try #require(try await database.withClient {
                try await $0.scalar("SELECT id FROM seals WHERE serial = 'H00301'", as: Int64.self)
            })
            try await withTestApp(database, .live) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                #expect(try await editor.get("/portal/trace").text.contains(try UIStrings.html("portal_trace_record", .en)))
                let badPartner = try await editor.post("/portal/trace/partners", ["gln": "4012345000008", "name": "", "kind": "shop"])
                #expect(badPartner.status == .unprocessableContent)
                #expect(badPartner.text.contains(try UIStrings.html("portal_trace_error_gln", .en)))
                let created = try await editor.post("/portal/trace/partners", [
                    "gln": EPCISFixture.distributorGLN, "name": "Épicerie <Fine>", "kind": "retailer", "countries": "fr, be",
                ])
                #expect(created.status == .seeOther)
                let taken = try await editor.post("/portal/trace/partners", [
                    "gln": EPCISFixture.distributorGLN, "name": "Again", "kind": "retailer",
                ])
                #expect(taken.status == .conflict)

                // The packing line sends its events; the portal ships the pallet.
                let packed = try await client.capture(EPCISFixture.document([
                    EPCISFixture.packing("urn:uuid:portal-0001", parent: EPCISFixture.sscc(40), ["H00301", "H00302"].map(EPCISFixture.honey),
                                         at: "2026-01-05T09:00:00+01:00"),
                ]), key: key)
                #expect(packed.json["captured"] as? Int == 1)
                let shipped = try await editor.post("/portal/trace/events", [
                    "action": "ship", "subjects": "037601230000000406", "partner": EPCISFixture.distributorGLN,
                ])
                #expect(shipped.status == .seeOther && shipped.headers[.location] == "/portal/trace?recorded=2")
                let overview = try await editor.get("/portal/trace")
                #expect(overview.text.contains("Épicerie &lt;Fine&gt;"))
                #expect(!overview.text.contains("<Fine>"))
                let partner = try await editor.get("/portal/trace/partners/\(EPCISFixture.distributorGLN)")
                #expect(partner.status == .ok && partner.text.contains("FR, BE"))
                #expect(partner.text.contains(try UIStrings.html("portal_trace_step_shipping", .en)))

                // Scanned in Germany: outside the partner's countries.
                _ = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00301"), method: .get,
                                             headers: [.xForwardedFor: "198.51.100.9"])
                let scans = try await editor.get("/portal/trace/partners/\(EPCISFixture.distributorGLN)")
                #expect(scans.text.contains(try UIStrings.html("portal_partner_off_market", .en)))
                let seal = try await editor.get("/portal/seals/\(sealID)")
                #expect(seal.text.contains(try UIStrings.html("portal_timeline", .en)))
                #expect(seal.text.contains("037601230000000406"))
                #expect(seal.text.contains(try UIStrings.html("portal_trace_disposition_in_transit", .en)))

                let noReason = try await editor.post("/portal/trace/events", ["action": "return", "subjects": "037601230000000406"])
                #expect(noReason.status == .unprocessableContent)
                #expect(noReason.text.contains(try UIStrings.html("portal_trace_error_reason", .en)))
                let returned = try await editor.post("/portal/trace/events", [
                    "action": "return", "subjects": EPCISFixture.honeyLink("H00301"), "partner": EPCISFixture.distributorGLN,
                    "reason": "Damaged box",
                ])
                #expect(returned.status == .seeOther)
                let held = try await client.api(.get, "/api/v1/partners/\(EPCISFixture.distributorGLN)", key: key)
                #expect(held.json["units_held"] as? Int == 1)
                let reason = try await database.withClient {
                    try await $0.scalar("SELECT document->>'signet:reason' FROM trace_events WHERE disposition = 'returned'", as: String.self)
                }
                #expect(reason == "Damaged box")

                let unreadable = try await editor.post("/portal/trace/events", [
                    "action": "ship", "subjects": "H00301\n037601230000000406", "partner": EPCISFixture.distributorGLN,
                ])
                #expect(unreadable.status == .unprocessableContent && unreadable.text.contains("H00301"))
                let unknown = try await editor.post("/portal/trace/events", [
                    "action": "ship", "subjects": EPCISFixture.honeyLink("NOSUCH"), "partner": EPCISFixture.distributorGLN,
                ])
                #expect(unknown.status == .unprocessableContent && unknown.text.contains("NOSUCH"))

                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                #expect(try await viewer.get("/portal/trace").status == .ok)
                #expect(try await viewer.post("/portal/trace/events", ["action": "ship", "subjects": "037601230000000406"]).status == .forbidden)
                #expect(try await viewer.post("/portal/trace/partners", ["gln": "5412345000013", "name": "X", "kind": "other"]).status == .forbidden)
            }
        }
    }

    @Test("serials recalled from the portal show the notice in the scan's language; a lot's recall report counts partners and scans, and exports CSV")
    func recallAndReport() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            let key = try await APIClientFixture.key(database, brand: "demo")
            let lotID = try #require(try await database.withClient {
                try await $0.scalar("SELECT id FROM lots WHERE code = 'HL2406'", as: Int64.self)
            })
            try await withTestApp(database, .live) { client in
                var owner = PortalBrowser(client)
                try await owner.signIn("owner@demo.test")
                _ = try await owner.post("/portal/trace/partners", ["gln": EPCISFixture.retailerGLN, "name": "Shop One", "kind": "retailer"])
                #expect(try await client.capture(EPCISFixture.document([
                    EPCISFixture.shipping("urn:uuid:recall-0001", ["H00311", "H00312", "H00313"].map(EPCISFixture.honey),
                                          to: EPCISFixture.retailerGLN, at: "2026-01-05T09:00:00+01:00"),
                ]), key: key).json["captured"] as? Int == 1)

                let noNotice = try await owner.post("/portal/trace/events", ["action": "recall", "subjects": EPCISFixture.honeyLink("H00311")])
                #expect(noNotice.status == .unprocessableContent)
                let recalled = try await owner.post("/portal/trace/events", [
                    "action": "recall", "subjects": EPCISFixture.honeyLink("H00311") + "\n" + EPCISFixture.honey("H00312"),
                    "notice_en": "Return it to the shop.", "notice_fr": "Rapportez-le au magasin.", "reason": "Seal glue fault",
                ])
                #expect(recalled.status == .seeOther)
                for (serial, language, text) in [("H00311", "fr", "Rapportez-le au magasin."), ("H00312", "en", "Return it to the shop."),
                                                 // No German notice: the product's default language, French.
                                                 ("H00312", "de", "Rapportez-le au magasin.")] {
                    let page = try await client.execute(uri: try await DemoFixture.seedPath(database, serial: serial), method: .get,
                                                        headers: [.acceptLanguage: language])
                    #expect(page.text.contains("data-verdict=\"recalled\""), "\(serial) \(language)")
                    #expect(page.text.contains(text), "\(serial) \(language)")
                }
                let untouched = try await client.execute(uri: try await DemoFixture.seedPath(database, serial: "H00313"), method: .get)
                #expect(untouched.text.contains("data-verdict=\"genuine_first\""))

                // The whole lot, from the same form: the lot's own recall, with its notice.
                let lotRecall = try await owner.post("/portal/trace/events", [
                    "action": "recall", "subjects": "03760123450003 HL2406", "notice_es": "Devuélvalo.",
                ])
                #expect(lotRecall.status == .seeOther)
                let spanish = try await client.execute(uri: try await DemoFixture.seedPath(database, serial: "H00314"), method: .get,
                                                       headers: [.acceptLanguage: "es", .xForwardedFor: "203.0.113.5"])
                #expect(spanish.text.contains("data-verdict=\"recalled\"") && spanish.text.contains("Devuélvalo."))
                _ = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00313"), method: .get,
                                             headers: [.xForwardedFor: "192.0.2.7"])

                let report = try await owner.get("/portal/trace/lots/\(lotID)")
                #expect(report.status == .ok)
                #expect(report.text.contains("Shop One"))
                #expect(report.text.contains(try UIStrings.html("portal_recall_report_title", .en).replacingOccurrences(of: "{lot}", with: "HL2406")))
                let csv = try await owner.get("/portal/trace/lots/\(lotID)/report.csv")
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                let lines = csv.text.split(separator: "\r\n").map(String.init)
                #expect(lines.first == "section,key,name,units_or_consultations,seals")
                #expect(lines.contains("partner,\(EPCISFixture.retailerGLN),Shop One,3,"))
                // Scans since the lot's recall: H00314 in Spain, H00313 in France.
                #expect(lines.contains("country,ES,,1,1") && lines.contains("country,FR,,1,1"))
                #expect(try await owner.get("/portal/trace/lots/999999").status == .notFound)
            }
        }
    }

    @Test("the demo's supply chain: partners, a pallet shipped and received, a return, a stolen and a destroyed unit; seeding again adds nothing")
    func demoSupplyChain() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database, supplyChain: true)
            _ = try await DemoFixture.seed(database, supplyChain: true)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            let counts = try await database.withClient { client in
                (try await client.scalar("SELECT count(*)::int FROM trace_events", as: Int.self),
                 try await client.scalar("SELECT count(*)::int FROM partners", as: Int.self),
                 try await client.scalar("SELECT count(*)::int FROM seal_trace WHERE holder_gln = '4012345000009'", as: Int.self))
            }
            // Twelve units shipped on the pallet, one returned.
            #expect(counts.0 == 8 && counts.1 == 2 && counts.2 == 11)
            try await withTestApp(database) { client in
                for (serial, verdict) in [("H00381", "stolen"), ("H00382", "destroyed"), ("H00361", "genuine_first")] {
                    let page = try await client.execute(uri: try await DemoFixture.seedPath(database, serial: serial), method: .get)
                    #expect(page.text.contains("data-verdict=\"\(verdict)\""), "\(serial)")
                }
                var owner = PortalBrowser(client)
                try await owner.signIn("owner@demo.test")
                let partner = try await owner.get("/portal/trace/partners/4012345000009")
                #expect(partner.text.contains("Distribution Île-de-France"))
                let sealID = try #require(try await database.withClient {
                    try await $0.scalar("SELECT id FROM seals WHERE serial = 'H00361'", as: Int64.self)
                })
                let seal = try await owner.get("/portal/seals/\(sealID)")
                #expect(seal.text.contains("037601230000000017") && seal.text.contains("037601230000000109"))
                // Its scan above, on the map.
                #expect(seal.text.contains("class=\"chart chart--map\""))
            }
        }
    }

    @Test("the brand page switches activation on commissioning")
    func activationSetting() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var owner = PortalBrowser(client)
                try await owner.signIn("owner@demo.test")
                #expect(!(try await owner.get("/portal/brand").text.contains("name=\"activate_on_commissioning\" checked")))
                let saved = try await owner.post("/portal/brand", [
                    "name": "Demo", "default_language": "en", "session_limit": "5", "session_minutes": "30",
                    "nfc_parameters": "e,m,c", "activate_on_commissioning": "on",
                ])
                #expect(saved.status == .seeOther)
                #expect(try await owner.get("/portal/brand").text.contains("name=\"activate_on_commissioning\" checked"))
                let stored = try await database.withClient {
                    try await $0.scalar("SELECT activate_on_commissioning FROM brands WHERE slug = 'demo'", as: Bool.self)
                }
                #expect(stored == true)
            }
        }
    }
}
