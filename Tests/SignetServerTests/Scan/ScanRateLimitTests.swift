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
            let accepted = try await withTestApp(database, .live, scanRateLimit: 3) { client in
                let busy: HTTPFields = [.xForwardedFor: "192.0.2.200", .acceptLanguage: "es"]
                // Fixed one-minute windows: 7 requests span at most two windows, which
                // allow 3 each, so at least one is refused wherever the minute turns.
                var accepted = 0
                var refused: TestResponse?
                for index in 1...7 {
                    let response = try await client.execute(
                        uri: demo.path(DemoFixture.honey, serial: "H0070\(index)"), method: .get, headers: busy)
                    if response.status == .ok { accepted += 1 } else if refused == nil { refused = response }
                }
                #expect(accepted >= 3 && accepted <= 6)
                let first = try #require(refused)
                #expect(first.status == .tooManyRequests)
                #expect(Int(first.headers[.retryAfter] ?? "") ?? 0 >= 1)
                #expect(try first.text.contains(UIStrings.html("error_rate_limited_title", .es)))
                let other = try await client.execute(
                    uri: demo.path(DemoFixture.honey, serial: "H00708"), method: .get, headers: [.xForwardedFor: "192.0.2.201"])
                #expect(other.status == .ok)
                return accepted
            }
            #expect(try await demo.consultations().count == accepted + 1, "refused requests are not recorded")
        }
    }
}
