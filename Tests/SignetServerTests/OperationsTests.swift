import HTTPTypes
import HummingbirdTesting
import SignetServer
import Testing

@Suite("Health and metrics")
struct OperationsTests {
    @Test("/health is 200 when the database answers")
    func healthy() async throws {
        try await withTestDatabase { database in
            try await withTestApp(database) { client in
                let response = try await client.execute(uri: "/health", method: .get)
                #expect(response.status == .ok)
                #expect(response.text.contains("\"database\":\"ok\""))
            }
        }
    }

    @Test("/health is 503 when the database is unreachable, and the process still serves")
    func unhealthy() async throws {
        try await withTestDatabase { database in
            try await withTestApp(database) { client in
                // The database disappears under a running server.
                try await database.drop()
                let response = try await client.execute(uri: "/health", method: .get)
                #expect(response.status == .serviceUnavailable)
                #expect(response.text.contains("\"database\":\"unreachable\""))
                let live = try await client.execute(uri: "/livez", method: .get)
                #expect(live.status == .ok)
            }
        }
    }

    @Test("/metrics serves Prometheus text with scan counts by verdict")
    func metrics() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                _ = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00300"), method: .get)
                _ = try await client.execute(uri: "/01/03760123450003/21/H00300?t=bad", method: .get)
                let response = try await client.execute(uri: "/metrics", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = response.text
                #expect(text.contains(#"signet_scans_total{verdict="genuine_first"} 1"#))
                #expect(text.contains(#"signet_scans_total{verdict="counterfeit"} 1"#))
            }
        }
    }
}

@Suite("Database trouble")
struct DatabaseTroubleTests {
    @Test("a scan while the database is gone is a localized 503 with Retry-After, not a 500")
    func scanDuringOutage() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                try await database.drop()
                let response = try await client.execute(
                    uri: demo.path(DemoFixture.honey, serial: "H00400"), method: .get, headers: [.acceptLanguage: "fr"])
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] != nil)
                #expect(try response.text.contains(UIStrings.html("error_unavailable_title", .fr)))
            }
        }
    }

    @Test("rows stranded in the default partition do not stop other months' partitions")
    func strandedRows() async throws {
        try await withTestDatabase { database in
            try await database.withClient { client in
                // Six months ahead has no partition yet; a row for it lands in the default one.
                try await client.run("""
                    INSERT INTO consultations (scanned_at, gtin, country, served_language, verdict, channel)
                    VALUES (date_trunc('month', now()) + interval '6 months', '00000000000000', 'unknown', 'en', 'counterfeit', 'qr')
                    """)
                let created = try await client.scalar("SELECT signet_ensure_consultation_partitions(8)", as: Int.self)
                // Months 4, 5, 7 and 8 are created; month 6 is reported, not fatal.
                #expect(created == 4)
                let stranded = try await client.scalar("SELECT count(*) FROM consultations_default", as: Int.self)
                #expect(stranded == 1)
            }
        }
    }
}

@Suite("Slow database")
struct SlowDatabaseTests {
    @Test("a scan stuck behind a lock is cancelled by the database: 503, and nothing recorded or counted")
    func statementTimeout() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await database.withClient { locker in
                // Another session holds the seal's row for longer than the statement timeout.
                let holding = Task {
                    try await locker.withTransaction(logger: .init(label: "test-lock")) { connection in
                        _ = try await connection.query("SELECT id FROM seals WHERE serial = 'H00390' FOR UPDATE", logger: .init(label: "test-lock"))
                        try await Task.sleep(for: .seconds(8))
                    }
                }
                try await Task.sleep(for: .milliseconds(300))
                try await withTestApp(database) { client in
                    let response = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00390"), method: .get)
                    #expect(response.status == .serviceUnavailable)
                }
                try await holding.value
            }
            #expect(try await demo.consultations().isEmpty)
            let count = try await database.withClient { try await $0.scalar("SELECT scan_count FROM seals WHERE serial = 'H00390'", as: Int.self) }
            #expect(count == 0)
        }
    }
}
