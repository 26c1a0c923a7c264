import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
import SignetServer
import Testing

@Suite("Country of a scan from GeoIP through trusted proxies")
struct ClientCountryTests {
    @Test("the fixture database answers IPv4, IPv6, IPv4-mapped, UK→GB and non-country codes")
    func fixtureLookups() throws {
        let database = try GeoIPDatabase(path: GeoIPFixture.path())
        #expect(database.countryCode(for: IPAddress("192.0.2.7")!) == "FR")
        #expect(database.countryCode(for: IPAddress("198.51.100.9")!) == "DE")
        #expect(database.countryCode(for: IPAddress("203.0.113.1")!) == "ES")
        #expect(database.countryCode(for: IPAddress("100.64.0.9")!) == "GB")
        #expect(database.countryCode(for: IPAddress("100.64.1.9")!) == nil)
        #expect(database.countryCode(for: IPAddress("2001:db8::1")!) == "JP")
        #expect(database.countryCode(for: IPAddress("2001:db8:1::5")!) == "BR")
        #expect(database.countryCode(for: IPAddress("::ffff:198.51.100.9")!) == "DE")
        #expect(database.countryCode(for: IPAddress("10.1.2.3")!) == nil)
    }

    @Test("a missing GeoIP file means unknown countries, not a failure")
    func missingFile() {
        #expect(throws: GeoIPError.self) { try GeoIPDatabase(path: "/nonexistent/file.mmdb") }
        let resolver = CountryResolver(path: "/nonexistent/file.mmdb", logger: Logger(label: "test"))
        #expect(resolver.country(for: IPAddress("192.0.2.7")) == "unknown")
    }

    @Test("X-Forwarded-For from a trusted proxy sets the country", arguments: [
        ("192.0.2.7", "FR"),
        ("2001:db8::1", "JP"),
        ("::ffff:198.51.100.9", "DE"),
        ("203.0.113.5, 127.0.0.1", "ES"),
        ("192.0.2.7, 100.64.0.9", "GB"),
        ("100.64.1.9", "unknown"),
        ("not-an-ip", "unknown"),
    ])
    func trustedProxy(forwardedFor: String, country: String) async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database, .live) { client in
                let response = try await client.execute(
                    uri: demo.path(DemoFixture.honey, serial: "H00100"), method: .get,
                    headers: [.xForwardedFor: forwardedFor])
                #expect(response.status == .ok)
            }
            let rows = try await demo.consultations()
            #expect(rows.map(\.country) == [country])
        }
    }

    @Test("an untrusted peer's X-Forwarded-For is ignored")
    func untrustedPeer() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database, .live, trustedProxies: ["10.0.0.0/8"]) { client in
                let response = try await client.execute(
                    uri: demo.path(DemoFixture.honey, serial: "H00101"), method: .get,
                    headers: [.xForwardedFor: "192.0.2.7"])
                #expect(response.status == .ok)
            }
            // The peer is 127.0.0.1, which the fixture does not map.
            let rows = try await demo.consultations()
            #expect(rows.map(\.country) == ["unknown"])
        }
    }

    @Test("no raw IP address is stored anywhere in the consultation")
    func noRawIP() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database, .live) { client in
                _ = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00102"), method: .get, headers: [.xForwardedFor: "192.0.2.77"])
            }
            let leaked = try await database.withClient { client in
                try await client.scalar("SELECT count(*) FROM consultations c WHERE c::text LIKE '%192.0.2.77%'", as: Int.self)
            }
            #expect(leaked == 0)
        }
    }
}
