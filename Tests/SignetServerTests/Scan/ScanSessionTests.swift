import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Scan sessions")
struct ScanSessionTests {
    @Test("the first verifier's reloads and language switches stay genuine_first; another visitor sees genuine_seen")
    func reloadsStayFirst() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database, .live) { client in
                let path = demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00050")
                let me: HTTPFields = [.xForwardedFor: "192.0.2.10", .userAgent: "PhoneA/1.0"]
                let first = try await client.execute(uri: path, method: .get, headers: me)
                #expect(first.text.contains("data-verdict=\"genuine_first\""))
                // The switcher keeps the token; following it is a reload by the same person.
                let switched = try await client.execute(uri: path + "&lang=de", method: .get, headers: me)
                #expect(switched.text.contains("data-verdict=\"genuine_first\""))
                #expect(switched.headers[.contentLanguage] == "de")
                // Same address, another phone: a second person.
                let other = try await client.execute(
                    uri: path, method: .get, headers: [.xForwardedFor: "192.0.2.10", .userAgent: "PhoneB/2.0"])
                #expect(other.text.contains("data-verdict=\"genuine_seen\""))
            }
            let rows = try await demo.consultations()
            #expect(rows.map(\.verdict) == ["genuine_first", "genuine_first", "genuine_seen"])
            let (count, visitors) = try await database.withClient { client in
                (
                    try await client.scalar("SELECT scan_count FROM seals WHERE serial = 'H00050'", as: Int.self),
                    try await client.scalar("SELECT count(DISTINCT visitor) FROM consultations", as: Int.self)
                )
            }
            #expect(count == 3)
            #expect(visitors == 2)
        }
    }

    @Test("the home page speaks the visitor's language")
    func homePage() async throws {
        try await withTestDatabase { database in
            try await withTestApp(database) { client in
                let response = try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "es-ES"])
                #expect(response.status == .ok)
                #expect(response.headers[.contentLanguage] == "es")
                #expect(try response.text.contains(UIStrings.html("home_title", .es)))
            }
        }
    }
}
