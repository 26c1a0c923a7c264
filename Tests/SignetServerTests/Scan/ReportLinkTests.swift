import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Report a problem")
struct ReportLinkTests {
    @Test("a counterfeit of a known product still offers to report it to the brand; an unknown GTIN has no brand")
    func reportLink() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let known = try await client.execute(uri: "/01/03760123450003/21/FAKE1?t=AAAAAAAAAAAAAAAA", method: .get)
                #expect(known.text.contains("mailto:care@maison-aurore.example?subject="))
                #expect(known.text.contains("FAKE1"))
                let unknown = try await client.execute(uri: "/01/4006381333931/21/FAKE1?t=AAAAAAAAAAAAAAAA", method: .get)
                #expect(!unknown.text.contains("mailto:"))
            }
        }
    }
}
