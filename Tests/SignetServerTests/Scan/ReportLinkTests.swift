import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Report a problem")
struct ReportLinkTests {
    @Test("a counterfeit of a known product offers the report form; a genuine scan mails support; an unknown GTIN has no brand")
    func reportLink() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let known = try await client.execute(uri: "/01/03760123450003/21/FAKE1?t=AAAAAAAAAAAAAAAA", method: .get)
                #expect(known.text.contains(#"href="/report/"#))
                #expect(known.text.contains("FAKE1"))
                let genuine = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00071"), method: .get)
                #expect(genuine.text.contains("mailto:care@maison-aurore.example?subject="))
                let unknown = try await client.execute(uri: "/01/4006381333931/21/FAKE1?t=AAAAAAAAAAAAAAAA", method: .get)
                #expect(!unknown.text.contains("mailto:") && !unknown.text.contains("/report/"))
            }
        }
    }
}
