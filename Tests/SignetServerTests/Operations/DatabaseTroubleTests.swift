import HTTPTypes
import HummingbirdTesting
import SignetServer
import Testing

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
