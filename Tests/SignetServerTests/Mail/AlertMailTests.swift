import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
@testable import SignetServer
import Testing

/// Alert e-mails and sign-in links through a real SMTP server (aiosmtpd),
/// sent by the running app in each user's portal language.
@Suite("Alert e-mails")
struct AlertMailTests {
    static let from = "alerts@signet.test"

    static func waitForMessages(_ sink: SMTPSink, count: Int) async throws -> [SMTPSink.ReceivedMessage] {
        // The stream's horizon waits for the suite's slowest write transaction.
        let deadline = ContinuousClock.now + .seconds(90)
        while true {
            let messages = try sink.messages()
            if messages.count >= count || ContinuousClock.now > deadline { return messages }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test("a French editor who chose counterfeit alerts gets one e-mail in French per counterfeit scan; a viewer who chose none gets nothing")
    func immediateInFrench() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editrice@demo.test", role: .editor)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            let smtp = SMTPConfiguration(host: "127.0.0.1", port: sink.port, security: .none, from: Self.from)
            try await withTestApp(database, .live, smtp: smtp) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editrice@demo.test")
                #expect(try await editor.post("/portal/account/language", ["language": "fr"]).status == .seeOther)
                let account = try await editor.get("/portal/account")
                #expect(account.text.contains(try UIStrings.html("portal_alert_mail_title", .fr)))
                #expect(!account.text.contains(try UIStrings.html("portal_alert_mail_unavailable", .fr)))
                let none = try await editor.post("/portal/account/alert-mail", ["frequency": "immediate"])
                #expect(none.status == .unprocessableContent)
                #expect(try await editor.post("/portal/account/alert-mail", ["frequency": "immediate", "type_counterfeit": "on"]).status == .seeOther)

                let forged = try await client.execute(
                    uri: "/01/03760123450003/21/H00202?t=AAAAAAAAAAAAAAAA", method: .get, headers: [.xForwardedFor: "198.51.100.9"])
                #expect(forged.text.contains(#"data-verdict="counterfeit""#))
                let messages = try await Self.waitForMessages(sink, count: 1)
                try #require(messages.count == 1)
                let mail = messages[0]
                #expect(mail.rcpt_tos == ["editrice@demo.test"])
                #expect(mail.from == Self.from)
                let typeFR = try UIStrings.text("alert_type_counterfeit", .fr)
                #expect(mail.subject == "[Maison Aurore] \(typeFR) : 03760123450003 / H00202 (DE)")
                let text = try #require(mail.text)
                #expect(text.contains(try UIStrings.text("mail_alert_intro_one", .fr).replacingOccurrences(of: "{brand}", with: "Maison Aurore")))
                #expect(text.contains("Allemagne"), "the country named in French")
                #expect(text.contains("http://scan.test/portal/alerts"))
                #expect(mail.defects.isEmpty)
            }
            let queued = try await database.withClient { client in
                try await client.scalar("SELECT count(*) FILTER (WHERE sent_at IS NOT NULL) || '/' || count(*) FROM alert_mail_queue", as: String.self)
            }
            #expect(queued == "1/1", "one queued alert, sent; nothing for the viewer")
        }
    }

    @Test("an hourly digest waits for the hour to turn, then lists every alert of the hours before in one e-mail")
    func hourlyDigest() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "digest@demo.test", role: .viewer)
            try await database.withClient { client in
                try await client.run("""
                    UPDATE users SET alert_mail = 'hourly', alert_mail_types = '{counterfeit,geo_jump}', language = 'de'
                    WHERE email = 'digest@demo.test'
                    """)
                // Three alerts: two from the previous hour, one from now.
                try await client.run("""
                    INSERT INTO alerts (brand_id, type, consultation_id, scanned_at, gtin, serial, country, verdict, lot, language)
                    SELECT b.id, t.type, t.n, now(), '03760123450003', 'H0030' || t.n, 'FR', 'counterfeit', t.lot, t.language::signet_language
                    FROM brands b, (VALUES ('counterfeit', 1, NULL, NULL), ('geo_jump', 2, 'HL2406', 'fr'), ('counterfeit', 3, NULL, NULL),
                                           ('off_market', 4, NULL, NULL)) t(type, n, lot, language)
                    WHERE b.slug = 'demo'
                    """)
                try await client.run("""
                    UPDATE alert_mail_queue q SET created_at = date_trunc('hour', now()) - interval '10 minutes'
                    FROM alerts a WHERE a.id = q.alert_id AND a.serial IN ('H00301', 'H00302')
                    """)
            }
            let smtp = SMTPConfiguration(host: "127.0.0.1", port: sink.port, security: .none, from: Self.from)
            try await withTestApp(database, .live, smtp: smtp) { _ in
                let messages = try await Self.waitForMessages(sink, count: 1)
                try #require(messages.count == 1)
                // Nothing more comes for the alert of this hour.
                try await Task.sleep(for: .seconds(1))
                #expect(try sink.messages().count == 1)
                let mail = messages[0]
                #expect(mail.subject == "[Maison Aurore] 2 neue Warnungen")
                let text = try #require(mail.text)
                #expect(text.contains("H00301") && text.contains("H00302"))
                #expect(!text.contains("H00303"), "this hour's alert waits for the next digest")
                #expect(!text.contains("H00304"), "a type the user did not choose")
                #expect(text.contains(try UIStrings.text("alert_type_geo_jump", .de)))
                #expect(text.contains("Frankreich"))
                // The geo jump's scan: its lot, and the page's language named in that language.
                #expect(text.contains("H00302 · Charge HL2406 · Frankreich · Français"))
            }
            let waiting = try await database.withClient { client in
                try await client.scalar("SELECT count(*) FROM alert_mail_queue WHERE sent_at IS NULL", as: Int.self)
            }
            #expect(waiting == 1)
        }
    }

    @Test("an owner's invitation and sign-in reset also go out by e-mail, in the owner's portal language, with a working link")
    func signInLinks() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            let smtp = SMTPConfiguration(host: "127.0.0.1", port: sink.port, security: .none, from: Self.from)
            try await withTestApp(database, smtp: smtp) { client in
                var owner = PortalBrowser(client)
                try await owner.signIn("owner@demo.test")
                let invited = try await owner.post("/portal/users?lang=es", ["email": "nuevo@demo.test", "role": "editor"])
                #expect(invited.status == .ok)
                #expect(invited.text.contains("data-link-mailed"))
                let messages = try sink.messages()
                try #require(messages.count == 1)
                #expect(messages[0].rcpt_tos == ["nuevo@demo.test"])
                #expect(messages[0].subject == "Está invitado/a al portal de Maison Aurore en Signet")
                let link = try #require(messages[0].text?.firstMatch(of: /http:\/\/scan\.test(\/portal\/welcome\/[A-Za-z0-9_-]+)/))
                #expect(invited.text.contains(String(link.output.0)), "the page shows the same link")
                #expect(try await client.execute(uri: String(link.output.1), method: .get).status == .ok)
            }
        }
    }

    @Test("without SMTP the account page says so, keeps the choice, and sends nothing")
    func withoutSMTP() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                #expect(try await editor.get("/portal/account").text.contains(try UIStrings.html("portal_alert_mail_unavailable", .en)))
                #expect(try await editor.post("/portal/account/alert-mail", ["frequency": "hourly", "type_geo_jump": "on"]).status == .seeOther)
                #expect(try await editor.get("/portal/account").text.contains(#"value="hourly" checked"#))
                #expect(try await editor.post("/portal/account/alert-mail", ["frequency": "sometimes"]).status == .badRequest)
            }
            let stored = try await database.withClient { client in
                try await client.scalar("SELECT alert_mail || ' ' || alert_mail_types::text FROM users WHERE email = 'editor@demo.test'", as: String.self)
            }
            #expect(stored == "hourly {geo_jump}")
        }
    }
}
