import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
@testable import SignetServer
import Testing

/// Taps of NTAG 424 DNA seals through the server: the secure message checked
/// in memory, the tag's counter moved by the scan statement itself.
@Suite("NFC taps")
struct NFCTapTests {
    static let master = Array(0..<16).map(UInt8.init)
    static let keyRing = "demo 1 000102030405060708090A0B0C0D0E0F\n"
    static let honeyTag: [UInt8] = [0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x80]
    static let creamTag: [UInt8] = [0x04, 0x66, 0x77, 0x88, 0x99, 0xAA, 0x80]

    /// Tags on honey seal H00301 and cream seal C00201, programmed with key version 1.
    static func registerTags(_ database: TestDatabase) async throws {
        try await database.withClient { client in
            try await client.query("""
                INSERT INTO nfc_tags (seal_id, brand_id, uid, key_version)
                SELECT s.id, s.brand_id, decode(t.uid, 'hex'), 1
                FROM (VALUES ('H00301', \(Hex.encode(honeyTag))), ('C00201', \(Hex.encode(creamTag)))) AS t (serial, uid)
                JOIN seals s ON s.serial = t.serial
                """, logger: Logger(label: "nfc-test"))
        }
    }

    /// The URL the tag on `uid` writes at read `counter`, for the seal `serial` of `gtin`.
    static func tap(
        _ gtin: GTIN = DemoFixture.honey, serial: String = "H00301", uid: [UInt8] = honeyTag, counter: UInt32,
        fileData: [UInt8]? = nil, names: SUNParameters.Names = .init()
    ) throws -> String {
        let keys = SecureDynamicMessage.Keys(
            metaRead: try TagKeyDiversification.metaReadKey(master: master, version: 1),
            fileRead: try TagKeyDiversification.fileReadKey(master: master, uid: uid, version: 1))
        let query = try SimulatedTap.query(uid: uid, counter: counter, fileData: fileData, keys: keys, names: names)
        return "/01/\(gtin.digits)/21/\(serial)?\(query)"
    }

    static func verdict(_ response: TestResponse) -> String {
        let html = response.text
        guard let start = html.range(of: #"data-verdict=""#)?.upperBound, let end = html[start...].firstIndex(of: "\"") else {
            return "status \(response.status.code)"
        }
        return String(html[start..<end])
    }

    @Test("a tap is genuine and moves the counter; opened again by someone else it is replayed, in their language, without the product; the tapper's own reload is not")
    func tapAndReplay() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await Self.registerTags(database)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database, .live, nfcKeys: try NFCKeyRing(text: Self.keyRing)) { client in
                let url = try Self.tap(counter: 5)
                let alice: HTTPFields = [.xForwardedFor: "192.0.2.7", .userAgent: "Alice's phone"]
                let first = try await client.execute(uri: url, method: .get, headers: alice)
                #expect(Self.verdict(first) == "genuine_first")

                var bob: HTTPFields = [.xForwardedFor: "198.51.100.9", .userAgent: "Bob's phone", .acceptLanguage: "de-DE"]
                let copied = try await client.execute(uri: url, method: .get, headers: bob)
                #expect(copied.status == .ok)
                #expect(Self.verdict(copied) == "replayed")
                #expect(copied.text.contains(try UIStrings.html("verdict_replayed_title", .de)))
                #expect(!copied.text.contains(try DemoFixture.product(DemoFixture.honey).translations["de"]?.name ?? "-"))

                // Alice reloading (or switching language): the same tap, not a copy.
                let reload = try await client.execute(uri: url + "&lang=fr", method: .get, headers: alice)
                #expect(Self.verdict(reload) == "genuine_first")
                // An older counter is a copy even for Alice.
                #expect(Self.verdict(try await client.execute(uri: try Self.tap(counter: 4), method: .get, headers: alice)) == "replayed")
                // Bob's own tap of the seal, a new read: genuine, already verified.
                bob[.acceptLanguage] = "es"
                let bobsTap = try await client.execute(uri: try Self.tap(counter: 6), method: .get, headers: bob)
                #expect(Self.verdict(bobsTap) == "genuine_seen")
                // The seal's page tells the taps apart: counted, copied, and each one's counter.
                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                let sealID = try #require(try await database.withClient {
                    try await $0.scalar("SELECT id FROM seals WHERE serial = 'H00301'", as: Int64.self)
                })
                let sealPage = try await viewer.get("/portal/seals/\(sealID)")
                #expect(sealPage.text.contains("NFC tap, counter 5") && sealPage.text.contains("NFC tap, counter 4"))
                #expect(sealPage.text.contains(#"<dt>Accepted taps</dt><dd>3</dd>"#))
                #expect(sealPage.text.contains(try UIStrings.html("verdict_replayed_title", .en)))
                // Raised by the counterfeit rule every brand has; the alerts consumer runs with the server.
                #expect(try await AlertRecordingTests.alerts(database, count: 2) == ["replayed_tap:H00301:DE", "replayed_tap:H00301:FR"])
            }
            #expect(try await LoyaltyClaimTests.rows(database, """
                SELECT c.verdict || ' ' || c.channel || ' ' || c.tap_counter || ' ' || coalesce(c.scan_number::text, '-')
                FROM consultations c WHERE c.serial = 'H00301' ORDER BY c.id
                """) == ["genuine_first nfc 5 1", "replayed nfc 5 -", "genuine_first nfc 5 2", "replayed nfc 4 -", "genuine_seen nfc 6 3"])
            #expect(try await LoyaltyClaimTests.rows(database, """
                SELECT t.last_counter || ' ' || t.taps FROM nfc_tags t JOIN seals s ON s.id = t.seal_id WHERE s.serial = 'H00301'
                """) == ["6 3"])
        }
    }

    @Test("taps racing with one counter value: in each round exactly one is counted, the others are replayed")
    func concurrentTaps() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await Self.registerTags(database)
            let verdicts = try await withTestApp(database, .ahc(.http), databasePoolSize: 8, nfcKeys: try NFCKeyRing(text: Self.keyRing)) { client in
                var rounds: [[String]] = []
                for counter: UInt32 in 10..<15 {
                    let url = try Self.tap(counter: counter)
                    rounds.append(try await withThrowingTaskGroup(of: String.self) { group in
                        for person in 0..<4 {
                            group.addTask {
                                Self.verdict(try await client.execute(uri: url, method: .get, headers: [
                                    .xForwardedFor: "203.0.113.\(Int(counter) * 4 + person)", .userAgent: "phone \(person)",
                                ]))
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }.sorted()
                    })
                }
                return rounds
            }
            #expect(verdicts.first == ["genuine_first", "replayed", "replayed", "replayed"])
            for round in verdicts.dropFirst() { #expect(round == ["genuine_seen", "replayed", "replayed", "replayed"]) }
            #expect(try await LoyaltyClaimTests.rows(database, """
                SELECT s.scan_count || ' ' || t.last_counter || ' ' || t.taps FROM nfc_tags t JOIN seals s ON s.id = t.seal_id
                WHERE s.serial = 'H00301'
                """) == ["5 14 5"])
        }
    }

    @Test("an opened TagTamper seal says so in four languages and raises an alert; another seal's tag, a bad MAC or bad hex is counterfeit; a QR scan of the NFC seal works as before")
    func tamperAndForgeries() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await Self.registerTags(database)
            try await withTestApp(database, .live, nfcKeys: try NFCKeyRing(text: Self.keyRing)) { client in
                let intact = try Self.tap(counter: 1, fileData: Array("CC".utf8))
                #expect(Self.verdict(try await client.execute(uri: intact, method: .get, headers: [.xForwardedFor: "192.0.2.7"])) == "genuine_first")
                for (index, language) in Language.allCases.enumerated() {
                    let opened = try Self.tap(counter: UInt32(2 + index), fileData: Array("OC".utf8), names: index == 3 ? .applicationNote : .init())
                    let page = try await client.execute(uri: opened, method: .get, headers: [
                        .xForwardedFor: "192.0.2.7", .acceptLanguage: language.rawValue,
                    ])
                    #expect(Self.verdict(page) == "tampered", "\(language)")
                    #expect(page.text.contains(try UIStrings.html("verdict_tampered_title", language)), "\(language)")
                }
                // The cream seal's tag, its URL moved onto the honey seal's path.
                let creamTap = try Self.tap(uid: Self.creamTag, counter: 1)
                let moved = creamTap.replacingOccurrences(of: "/01/03760123450003/21/H00301", with: "/01/03760123450003/21/H00302")
                #expect(Self.verdict(try await client.execute(uri: moved, method: .get, headers: [.xForwardedFor: "192.0.2.8"])) == "counterfeit")
                #expect(Self.verdict(try await client.execute(
                    uri: try Self.tap(DemoFixture.cream, serial: "C00201", uid: Self.creamTag, counter: 1), method: .get,
                    headers: [.xForwardedFor: "192.0.2.8"])) == "genuine_first")
                let good = try Self.tap(counter: 20)
                let badMAC = String(good.dropLast()) + (good.hasSuffix("0") ? "1" : "0")
                for url in [badMAC, "/01/03760123450003/21/H00301?e=ZZ&c=00", "/01/03760123450003/21/H00301?e=%FF%00&m=&c=",
                            "/01/03760123450003/21/H00301?e=" + String(repeating: "A", count: 32) + "&c=" + String(repeating: "B", count: 16)] {
                    let page = try await client.execute(uri: url, method: .get, headers: [.xForwardedFor: "192.0.2.9"])
                    #expect(page.status == .ok, "\(url)")
                    #expect(Self.verdict(page) == "counterfeit", "\(url)")
                }
                // The same seal's QR code still verifies by its token.
                let qr = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00301"), method: .get,
                                                  headers: [.xForwardedFor: "192.0.2.10", .userAgent: "QR reader"])
                #expect(Self.verdict(qr) == "genuine_seen")
                let alerts = try await AlertRecordingTests.alerts(database, count: 9)
                #expect(alerts.filter { $0.hasPrefix("tampered_scanned:H00301:") }.count == 4)
            }
            #expect(try await LoyaltyClaimTests.rows(database, """
                SELECT c.verdict || ' ' || c.channel FROM consultations c WHERE c.serial = 'H00301' ORDER BY c.id
                """) == ["genuine_first nfc", "tampered nfc", "tampered nfc", "tampered nfc", "tampered nfc"]
                + Array(repeating: "counterfeit nfc", count: 4) + ["genuine_seen qr"])
            // The moved tap matched no tag of H00302; the honey tag's counter never saw it.
            #expect(try await LoyaltyClaimTests.rows(database, """
                SELECT s.serial || ' ' || t.last_counter FROM nfc_tags t JOIN seals s ON s.id = t.seal_id ORDER BY s.serial
                """) == ["C00201 1", "H00301 5"])
        }
    }

    @Test("an owner sets the brand's tap parameter names and MAC input: taps written so verify, the old names no longer; bad names are a 422")
    func brandParameterNames() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await Self.registerTags(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database, .live, nfcKeys: try NFCKeyRing(text: Self.keyRing)) { client in
                var owner = PortalBrowser(client)
                try await owner.signIn("owner@demo.test")
                let form = try await owner.get("/portal/brand")
                #expect(form.text.contains(#"name="nfc_parameters" required maxlength="100" value="e,m,c""#))
                let bad = try await owner.post("/portal/brand?lang=fr", [
                    "name": "Maison Aurore", "default_language": "fr", "nfc_parameters": "uid,t,sig",
                ])
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains(try UIStrings.html("portal_error_nfc_parameters", .fr)))
                let saved = try await owner.post("/portal/brand", [
                    "name": "Maison Aurore", "default_language": "fr", "nfc_parameters": "uid, file, sig", "nfc_mac_input": "picc_data",
                ])
                #expect(saved.status == .seeOther)
                #expect(try await LoyaltyClaimTests.rows(database, "SELECT array_to_string(nfc_parameters, ',') || ' ' || nfc_mac_input FROM brands WHERE slug = 'demo'")
                        == ["uid,file,sig picc_data"])

                // The server's catalogue follows the change within moments.
                let custom = SUNParameters.Names(piccData: "uid", fileData: "file", mac: "sig", macInputStart: .piccData)
                var verdict = ""
                for counter: UInt32 in 1...100 where verdict != "genuine_first" {
                    let url = try Self.tap(counter: counter, fileData: Array("CC".utf8), names: custom)
                    verdict = Self.verdict(try await client.execute(uri: url, method: .get, headers: [.xForwardedFor: "192.0.2.7"]))
                    if verdict != "genuine_first" { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(verdict == "genuine_first")
                // Tags written with the default names are now read as QR scans without a token; NXP's names
                // still work, with the brand's MAC input.
                var nxp = SUNParameters.Names.applicationNote
                nxp.macInputStart = .piccData
                #expect(Self.verdict(try await client.execute(uri: try Self.tap(counter: 200), method: .get,
                                                              headers: [.xForwardedFor: "192.0.2.7"])) == "counterfeit")
                #expect(Self.verdict(try await client.execute(uri: try Self.tap(counter: 201, names: nxp), method: .get,
                                                              headers: [.xForwardedFor: "192.0.2.7"])) == "genuine_first")
            }
        }
    }
}
