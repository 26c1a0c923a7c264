import HTTPTypes
import HummingbirdTesting
import SignetServer
import Testing

@Suite("Slow database")
struct SlowDatabaseTests {
    @Test("a scan stuck behind a lock is cancelled by the database: 503, and nothing recorded or counted")
    func statementTimeout() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await database.withClient { locker in
                // Another session keeps the seals from being written for longer
                // than the statement timeout. A table lock, not a row lock: a row
                // lock takes a transaction id, and an id held this long stalls the
                // consultation stream of every other test sharing the cluster.
                let holding = Task {
                    try await locker.withTransaction(logger: .init(label: "test-lock")) { connection in
                        _ = try await connection.query("LOCK TABLE seals IN SHARE MODE", logger: .init(label: "test-lock"))
                        // Held until the scan has been answered (the test cancels this), however slow the machine.
                        try await Task.sleep(for: .seconds(60))
                    }
                }
                try await Task.sleep(for: .milliseconds(300))
                try await withTestApp(database) { client in
                    let response = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00390"), method: .get)
                    #expect(response.status == .serviceUnavailable)
                    holding.cancel()
                    _ = await holding.result
                }
            }
            #expect(try await demo.consultations().isEmpty)
            let count = try await database.withClient { try await $0.scalar("SELECT scan_count FROM seals WHERE serial = 'H00390'", as: Int.self) }
            #expect(count == 0)
        }
    }
}
