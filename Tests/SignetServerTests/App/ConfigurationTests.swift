import Foundation
import Configuration
import Logging
import SignetServer
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    func reader(_ environment: [String: String]) -> ConfigReader {
        ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
    }

    @Test("SIGNET_* variables are read, with sensible defaults")
    func environment() throws {
        let configuration = try SignetConfiguration(reader: reader([
            "SIGNET_DATABASE_URL": "postgres://app:secret@db.internal:6432/signet?sslmode=require",
            "SIGNET_HOST": "0.0.0.0",
            "SIGNET_PORT": "9090",
            "SIGNET_PUBLIC_URL": "https://scan.example.com/",
            "SIGNET_GEOIP_DB": "/var/lib/signet/country.mmdb",
            "SIGNET_TRUSTED_PROXIES": "10.0.0.0/8, fd00::/8",
            "SIGNET_LOG_LEVEL": "DEBUG",
        ]))
        #expect(configuration.databaseURL.hasPrefix("postgres://app:secret@db.internal:6432/"))
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9090)
        #expect(configuration.publicURL == "https://scan.example.com")
        #expect(configuration.geoIPDatabasePath == "/var/lib/signet/country.mmdb")
        #expect(configuration.trustedProxies.map(\.description) == ["10.0.0.0/8", "fd00::/8"])
        #expect(configuration.logLevel == .debug)

        let defaults = try SignetConfiguration(reader: reader([:]))
        #expect(defaults.port == 8080)
        #expect(defaults.host == "127.0.0.1")
        #expect(defaults.publicURL == "http://127.0.0.1:8080")
        #expect(defaults.trustedProxies.isEmpty)
        #expect(defaults.geoIPDatabasePath == nil)
    }

    @Test("bad values are refused with the variable's name", arguments: [
        ("SIGNET_PORT", "70000"),
        ("SIGNET_TRUSTED_PROXIES", "10.0.0.0/33"),
        ("SIGNET_LOG_LEVEL", "loud"),
        ("SIGNET_PUBLIC_URL", "scan.example.com"),
        ("SIGNET_SCAN_RATE_LIMIT", "-1"),
        ("SIGNET_NFC_KEYS_FILE", "/nonexistent/nfc-keys"),
    ])
    func refused(key: String, value: String) {
        do {
            _ = try SignetConfiguration(reader: reader([key: value]))
            Issue.record("\(key)=\(value) was accepted")
        } catch let error as ConfigurationError {
            #expect(error.description.hasPrefix(key))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("SIGNET_NFC_KEYS_FILE is read into the key ring; a bad line stops start-up naming the variable and the line")
    func nfcKeys() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("signet-nfc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good")
        try "demo 1 00112233445566778899AABBCCDDEEFF\ndemo 2 000102030405060708090A0B0C0D0E0F\n".write(to: good, atomically: true, encoding: .utf8)
        let configuration = try SignetConfiguration(reader: reader(["SIGNET_NFC_KEYS_FILE": good.path]))
        #expect(configuration.nfcKeys.currentVersion(brand: "demo") == 2)
        #expect(try SignetConfiguration(reader: reader([:])).nfcKeys == .empty)
        let bad = folder.appendingPathComponent("bad")
        try "# keys\ndemo 1 0011\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.self) { try SignetConfiguration(reader: reader(["SIGNET_NFC_KEYS_FILE": bad.path])) }
        do {
            _ = try SignetConfiguration(reader: reader(["SIGNET_NFC_KEYS_FILE": bad.path]))
        } catch {
            #expect(error.description == "SIGNET_NFC_KEYS_FILE: line 2: the key is 32 hexadecimal digits (AES-128)")
        }
    }

    @Test("database URLs: TCP, TLS modes and Unix sockets")
    func databaseURLs() throws {
        let tcp = try DatabaseURL.configuration(from: "postgres://u:p%40ss@h:5433/d?sslmode=disable")
        #expect(tcp.host == "h")
        #expect(tcp.port == 5433)
        #expect(tcp.username == "u")
        #expect(tcp.password == "p@ss")
        #expect(tcp.database == "d")
        let socket = try DatabaseURL.configuration(from: "postgres://u@/d?host=/run/postgresql")
        #expect(socket.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(throws: DatabaseURLError.self) { try DatabaseURL.configuration(from: "mysql://u@h/d") }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL.configuration(from: "postgres://u@h/d?sslmode=sometimes") }
        #expect(DatabaseURL.replacingDatabase(in: "postgres://u@h:1/a?sslmode=disable", with: "b") == "postgres://u@h:1/b?sslmode=disable")
    }
}
