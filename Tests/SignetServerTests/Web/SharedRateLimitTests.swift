import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import PostgresNIO
import Testing

/// Two instances on one database, as behind a proxy that spreads requests:
/// a client's allowance is shared between them.
@Suite("Rate limits across instances")
struct SharedRateLimitTests {
    static let product = "/01/03760123450003"

    static func statuses(_ client: any TestClientProtocol, _ count: Int, from address: String) async throws -> [Int] {
        var statuses: [Int] = []
        for _ in 0..<count {
            let response = try await client.execute(uri: product, method: .get, headers: [.xForwardedFor: address])
            statuses.append(response.status.code)
        }
        return statuses
    }

    /// Waits until the instances have added `total` scan requests to the shared counts.
    static func shared(_ database: TestDatabase, reach total: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let sum = try await database.withClient { client in
                try await client.query("SELECT coalesce(sum(hits), 0)::bigint FROM rate_limit_hits WHERE scope = 'scan'", logger: Logger(label: "t"))
                    .collect()[0].decode(Int64.self)
            }
            if sum >= total { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the shared scan count never reached \(total)")
    }

    @Test("a client's 10 scans a minute are shared by two instances; another client is not held back; no address is stored")
    func scanLimitAcrossInstances() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let first = try await makeTestApplication(database, scanRateLimit: 10)
            let second = try await makeTestApplication(database, scanRateLimit: 10)
            try await first.testShuttingDownWithin(.live) { a in
                try await second.testShuttingDownWithin(.live) { b in
                    // The shared counts are per clock minute: start early in one, so the run stays in it.
                    let second = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
                    if second > 15 { try await Task.sleep(for: .seconds(60.5 - second)) }
                    let client = "203.0.113.7"
                    #expect(try await Self.statuses(a, 6, from: client) == Array(repeating: 200, count: 6))
                    try await Self.shared(database, reach: 6)
                    #expect(try await Self.statuses(b, 1, from: client) == [200])
                    try await Self.shared(database, reach: 7)
                    // B knows of A's six: three more, then the limit.
                    #expect(try await Self.statuses(b, 5, from: client) == [200, 200, 200, 429, 429])
                    let refused = try await b.execute(uri: Self.product, method: .get, headers: [.xForwardedFor: client])
                    #expect(refused.status == .tooManyRequests)
                    #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
                    // A reads the total of a key past half its allowance at each exchange.
                    try await Self.shared(database, reach: 10)
                    try await Task.sleep(for: .seconds(3))
                    #expect(try await Self.statuses(a, 2, from: client) == [429, 429])
                    #expect(try await Self.statuses(a, 3, from: "198.51.100.9") == [200, 200, 200])
                }
            }
            let stored = try await database.withClient { client in
                try await client.query("SELECT scope, key_hash, hits FROM rate_limit_hits", logger: Logger(label: "t")).collect()
                    .map { try $0.decode((String, String, Int64).self) }
            }
            #expect(stored.contains { $0.0 == "scan" && $0.2 >= 10 })
            #expect(!stored.contains { $0.1.contains("203.0.113.7") || $0.1.contains("198.51.100.9") })
        }
    }
}
