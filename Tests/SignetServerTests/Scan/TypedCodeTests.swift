import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
@testable import SignetServer
import Testing

@Suite("A damaged QR code: the serial and check code typed on the home page")
struct TypedCodeTests {
    /// The check code the export prints beside `serial`.
    static func checkCode(_ database: TestDatabase, serial: String) async throws -> String {
        try await database.withClient { client in
            var code: String?
            try await SealExporter(database: client, logger: Logger(label: "test"), publicURL: "http://scan.test")
                .forEachSeal(brandSlug: "demo") { seal in if seal.serial == serial { code = seal.checkCode } }
            return try #require(code)
        }
    }

    static func consultations(_ database: TestDatabase) async throws -> [String] {
        try await database.withClient { client in
            var rows: [String] = []
            for try await (serial, channel, verdict) in try await client.query(
                "SELECT serial, channel, verdict FROM consultations ORDER BY id", logger: Logger(label: "t")
            ).decode((String, String, String).self) { rows.append("\(serial) \(channel) \(verdict)") }
            return rows
        }
    }

    @Test("the printed serial and check code verify the seal like a scan, recorded with channel typed, in the visitor's language")
    func verifies() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            let code = try await Self.checkCode(database, serial: "H00020")
            #expect(code.count == 9 && code.dropFirst(4).hasPrefix("-"))
            try await withTestApp(database) { client in
                let home = try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "de"])
                #expect(home.text.contains(try UIStrings.html("typed_title", .de)))
                #expect(home.text.contains(#"action="/verify""#))
                // Typed as people type: lower case, a space for the hyphen, O for 0 and l for 1.
                let typed = code.lowercased().replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "0", with: "o")
                    .replacingOccurrences(of: "1", with: "l")
                let query = "serial=H00020&code=" + (typed.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? typed)
                let first = try await client.execute(uri: "/verify?" + query, method: .get, headers: [.acceptLanguage: "fr"])
                #expect(first.status == .ok)
                #expect(first.text.contains(#"data-verdict="genuine_first""#))
                #expect(first.text.contains(try UIStrings.html("verdict_genuine_first_title", .fr)))
                let again = try await client.execute(uri: "/verify?" + query, method: .get, headers: [.userAgent: "another phone"])
                #expect(again.text.contains(#"data-verdict="genuine_seen""#))
                let wrong = try await client.execute(uri: "/verify?serial=H00020&code=ZZZZ-ZZZZ", method: .get)
                #expect(wrong.text.contains(#"data-verdict="counterfeit""#), "a wrong code is judged as a wrong token is")

                // The brand's seal page says how each consultation was read.
                var owner = PortalBrowser(client)
                try await owner.signIn("owner@demo.test")
                let sealID = try #require(try await database.withClient {
                    try await $0.scalar("SELECT id FROM seals WHERE serial = 'H00020'", as: Int64.self)
                })
                let seal = try await owner.get("/portal/seals/\(sealID)")
                #expect(seal.text.components(separatedBy: try UIStrings.html("portal_read_typed", .en)).count == 4)
            }
            #expect(try await Self.consultations(database) == [
                "H00020 typed genuine_first", "H00020 typed genuine_seen", "H00020 typed counterfeit",
            ])
        }
    }

    @Test("bad input is the home page again with every problem (422); an unknown serial is a 404 that records nothing; the scan limit applies")
    func refuses() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await withTestApp(database, .live, scanRateLimit: 3) { client in
                let bad = try await client.execute(uri: "/verify?serial=&code=123", method: .get, headers: [.acceptLanguage: "es"])
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains(try UIStrings.html("typed_error_serial", .es)))
                #expect(bad.text.contains(try UIStrings.html("typed_error_code", .es)))
                #expect(bad.text.contains(#"value="123""#), "what was typed is kept")
                let hostile = try await client.execute(uri: "/verify?serial=%3Cscript%3E&code=UUUUUUUU", method: .get)
                #expect(hostile.status == .unprocessableContent && !hostile.text.contains("<script>"))
                let unknown = try await client.execute(uri: "/verify?serial=NOPE1&code=7K3M-Q9XD", method: .get, headers: [.acceptLanguage: "en"])
                #expect(unknown.status == .notFound)
                #expect(unknown.text.contains(try UIStrings.html("typed_error_no_match", .en)))
                for _ in 0..<2 { _ = try await client.execute(uri: "/verify?serial=NOPE2&code=7K3M-Q9XD", method: .get) }
                let limited = try await client.execute(uri: "/verify?serial=NOPE3&code=7K3M-Q9XD", method: .get)
                #expect(limited.status == .tooManyRequests)
            }
            #expect(try await Self.consultations(database).isEmpty)
        }
    }
}
