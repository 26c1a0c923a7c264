import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Concurrent scans of one seal")
struct ConcurrentScanTests {
    @Test("200 scans by 200 visitors, 8 at a time: one genuine_first, counter 200, 200 consultations")
    func twoHundredScans() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            // 200 people on one seal would make it suspicious; this test is about the first count.
            try await database.withClient { try await $0.run("UPDATE brands SET session_limit = 1000 WHERE slug = 'demo'") }
            let path = demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00200")
            let verdicts = try await withTestApp(database, .ahc(.http), databasePoolSize: 8) { client in
                // At most 8 scans in flight, the HTTP client's connections per host: still a race
                // for the first count on 8 database connections, and no request queues for a client
                // connection, whose 15 s deadline a busy machine running every suite can miss.
                try await withThrowingTaskGroup(of: String.self) { group in
                    var early: [String] = []
                    for index in 0..<200 {
                        if index >= 8, let verdict = try await group.next() { early.append(verdict) }
                        group.addTask {
                            // Each scan comes from its own address through the trusted loopback proxy.
                            let address = "198.51.\(100 + index / 100).\(index % 100 + 1)"
                            let response = try await client.execute(uri: path, method: .get, headers: [.xForwardedFor: address])
                            guard response.status == .ok else { return "status \(response.status.code)" }
                            let html = response.text
                            if html.contains("data-verdict=\"genuine_first\"") { return "genuine_first" }
                            if html.contains("data-verdict=\"genuine_seen\"") { return "genuine_seen" }
                            return "other"
                        }
                    }
                    var verdicts = early
                    for try await verdict in group { verdicts.append(verdict) }
                    return verdicts
                }
            }
            #expect(verdicts.count == 200)
            #expect(verdicts.filter { $0 == "genuine_first" }.count == 1)
            #expect(verdicts.filter { $0 == "genuine_seen" }.count == 199)

            let (count, rows, firsts) = try await database.withClient { client in
                (
                    try await client.scalar("SELECT scan_count FROM seals WHERE serial = 'H00200'", as: Int.self),
                    try await client.scalar("SELECT count(*) FROM consultations", as: Int.self),
                    try await client.scalar("SELECT count(*) FROM consultations WHERE verdict = 'genuine_first'", as: Int.self)
                )
            }
            #expect(count == 200)
            #expect(rows == 200)
            #expect(firsts == 1)
        }
    }
}
