import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Link previews of a scan URL")
struct LinkPreviewTests {
    static let agents: [(String, Language)] = [
        ("WhatsApp/2.23.20.0 A", .fr),
        ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", .en),
        ("facebookexternalhit/1.1 Facebot Twitterbot/1.0", .de),
        ("TelegramBot (like TwitterBot)", .es),
        ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", .en),
    ]

    @Test("a chat app unfurling a seal's URL gets the product, records nothing and leaves the first scan to the consumer")
    func previewsRecordNothing() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            let path = demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00030")
            try await withTestApp(database) { client in
                for (agent, language) in Self.agents {
                    let response = try await client.execute(
                        uri: path, method: .get, headers: [.userAgent: agent, .acceptLanguage: language.rawValue])
                    #expect(response.status == .ok, "\(agent)")
                    #expect(response.text.contains("data-verdict=\"preview\""), "\(agent)")
                    #expect(try response.text.contains(UIStrings.html("verdict_preview_title", language)), "\(agent)")
                    #expect(try response.text.contains(UIStrings.escape(DemoFixture.productName(DemoFixture.honey, language))))
                    #expect(!response.text.contains("genuine"), "\(agent)")
                }
                #expect(try await demo.consultations().isEmpty)
                let person = try await client.execute(
                    uri: path, method: .get,
                    headers: [.userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
                              .acceptLanguage: "en"])
                #expect(person.text.contains("data-verdict=\"genuine_first\""))
            }
            let rows = try await demo.consultations()
            #expect(rows.map(\.verdict) == ["genuine_first"])
        }
    }

    @Test("a preview of a counterfeit serial shows no verdict either way")
    func previewOfUnknownSerial() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let response = try await client.execute(
                    uri: demo.path(DemoFixture.honey, serial: "Z99999"), method: .get, headers: [.userAgent: "WhatsApp/2.24.1.8 i"])
                #expect(response.status == .ok)
                #expect(response.text.contains("data-verdict=\"preview\""))
                #expect(!response.text.contains("data-verdict=\"counterfeit\""))
            }
            #expect(try await demo.consultations().isEmpty)
        }
    }
}
