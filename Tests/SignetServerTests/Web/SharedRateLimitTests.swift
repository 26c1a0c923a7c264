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

    static func sharedTotal(_ database: TestDatabase) async throws -> Int {
        try await database.withClient { client in
            Int(try await client.query("SELECT coalesce(sum(hits), 0)::bigint FROM rate_limit_hits WHERE scope = 'scan' AND window_end > now()", logger: Logger(label: "t"))
                .collect()[0].decode(Int64.self))
        }
    }

    /// Waits until the instances have added `total` scan requests to the current window's shared counts.
    static func shared(_ database: TestDatabase, reach total: Int) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if try await sharedTotal(database) >= total { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test("a client's 10 scans a minute are shared by two instances; another client is not held back; no address is stored")
    func scanLimitAcrossInstances() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let first = try await makeTestApplication(database, scanRateLimit: 10)
            let second = try await makeTestApplication(database, scanRateLimit: 10)
            try await first.testShuttingDownWithin(.live) { a in
                try await second.testShuttingDownWithin(.live) { b in
                    // The shared counts are per clock minute: a run that crosses a minute's end
                    // starts again with the next client address (a loaded machine can be slow).
                    for attempt in 0..<3 {
                        let second = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
                        if second > 15 { try await Task.sleep(for: .seconds(60.5 - second)) }
                        let minute = Int(Date().timeIntervalSince1970 / 60)
                        let client = "203.0.113.\(7 + attempt)"
                        let shared = try await Self.sharedTotal(database)
                        let first = try await Self.statuses(a, 6, from: client)
                        guard try await Self.shared(database, reach: shared + 6) else { continue }
                        let second1 = try await Self.statuses(b, 1, from: client)
                        guard try await Self.shared(database, reach: shared + 7) else { continue }
                        // The table has B's count as soon as B's exchange commits; B learns the
                        // total from that statement's answer a moment later (a loaded machine can
                        // take its time to run the continuation).
                        try await Task.sleep(for: .seconds(1))
                        // B knows of A's six: three more, then the limit.
                        let onB = try await Self.statuses(b, 5, from: client)
                        let refused = try await b.execute(uri: Self.product, method: .get, headers: [.xForwardedFor: client])
                        // A reads the total of a key past half its allowance at each exchange.
                        guard try await Self.shared(database, reach: shared + 10) else { continue }
                        try await Task.sleep(for: .seconds(3))
                        let onA = try await Self.statuses(a, 2, from: client)
                        let other = try await Self.statuses(a, 3, from: "198.51.100.\(9 + attempt)")
                        guard Int(Date().timeIntervalSince1970 / 60) == minute else { continue }
                        #expect(first == Array(repeating: 200, count: 6))
                        #expect(second1 == [200])
                        #expect(onB == [200, 200, 200, 429, 429])
                        #expect(refused.status == .tooManyRequests)
                        #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
                        #expect(onA == [429, 429])
                        #expect(other == [200, 200, 200])
                        return
                    }
                    Issue.record("no run of the three completed within one clock minute, or the shared counts never arrived")
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
