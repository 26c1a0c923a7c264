import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Scan rate limit")
struct ScanRateLimitTests {
    @Test("over the per-address limit: a localized 429 with Retry-After, nothing recorded; other addresses unaffected")
    func limited() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database, .live, scanRateLimit: 3) { client in
                let busy: HTTPFields = [.xForwardedFor: "192.0.2.200", .acceptLanguage: "es"]
                for index in 1...3 {
                    let response = try await client.execute(
                        uri: demo.path(DemoFixture.honey, serial: "H0070\(index)"), method: .get, headers: busy)
                    #expect(response.status == .ok)
                }
                let refused = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00704"), method: .get, headers: busy)
                #expect(refused.status == .tooManyRequests)
                #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
                #expect(try refused.text.contains(UIStrings.html("error_rate_limited_title", .es)))
                let other = try await client.execute(
                    uri: demo.path(DemoFixture.honey, serial: "H00705"), method: .get, headers: [.xForwardedFor: "192.0.2.201"])
                #expect(other.status == .ok)
            }
            #expect(try await demo.consultations().count == 4)
        }
    }
}
