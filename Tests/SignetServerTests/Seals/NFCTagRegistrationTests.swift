import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import PostgresNIO
import SignetCore
@testable import SignetServer
import Testing

/// A packaging line's file of NFC tags registered on a batch's seals.
@Suite("NFC tag registration")
struct NFCTagRegistrationTests {
    static func keys() throws -> NFCKeyRing {
        try NFCKeyRing(text: "demo 1 00112233445566778899AABBCCDDEEFF\ndemo 2 000102030405060708090A0B0C0D0E0F\n")
    }

    /// A batch of `count` seals of the demo honey; its id and serials.
    static func batch(_ database: TestDatabase, count: Int) async throws -> (id: Int64, serials: [String]) {
        try await database.withClient { client in
            let logger = Logger(label: "t")
            let demo = try #require(try await BrandStore(database: client, logger: logger).find(slug: "demo"))
            let id = try await SealBatchCommand(database: client, logger: logger).run(
                brandID: demo.id, batch: .init(gtin: DemoFixture.honey, lotCode: nil, quantity: count, serialLength: 10, initialStatus: .active, markets: [])
            ) { _, _ in }
            let rows = try await client.query("SELECT serial FROM seals WHERE batch_id = \(id) ORDER BY serial", logger: logger).collect()
            return (id, try rows.map { try $0.decode(String.self) })
        }
    }

    @Test("an editor registers a file of serial,uid rows with the brand's current key version; the seal page shows the tag; the same file again changes nothing")
    func registers() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            let (batchID, serials) = try await Self.batch(database, count: 3)
            let file = "uid;serial\n04958caa5c5e80;\(serials[0])\n041E3C8A2D6B80;\(serials[1])\n"
            try await withTestApp(database, nfcKeys: try Self.keys()) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                let page = try await editor.get("/portal/seals/batches/\(batchID)?lang=fr")
                #expect(page.text.contains("Puces NFC") && page.text.contains("Enregistrer les puces"))
                let sent = try await editor.upload(
                    "/portal/seals/batches/\(batchID)/nfc-tags", file: ("tags_file", "tags.csv", "text/csv", Array(file.utf8)))
                #expect(sent.status == .seeOther)
                let after = try await editor.get(try #require(sent.headers[.location]))
                #expect(after.text.contains("2 tags registered.") && after.text.contains("2 seals of this batch carry an NFC tag."))
                let again = try await editor.upload(
                    "/portal/seals/batches/\(batchID)/nfc-tags", file: ("tags_file", "tags.csv", "text/csv", Array(file.utf8)))
                #expect(again.headers[.location]?.hasSuffix("?tags=0") == true)

                let sealID = try #require(try await database.withClient {
                    try await $0.scalar("SELECT id FROM seals WHERE serial = \(serials[0])", as: Int64.self)
                })
                let seal = try await editor.get("/portal/seals/\(sealID)")
                #expect(seal.text.contains("<code>04958CAA5C5E80</code>"))
                #expect(seal.text.contains("Last accepted read counter") && seal.text.contains("none yet"))
            }
            #expect(try await LoyaltyClaimTests.rows(database, """
                SELECT encode(t.uid, 'hex') || ' ' || t.key_version || ' ' || t.last_counter FROM nfc_tags t JOIN seals s ON s.id = t.seal_id ORDER BY s.serial
                """) == ["04958caa5c5e80 2 -1", "041e3c8a2d6b80 2 -1"])
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT action FROM audit_events WHERE action = 'seal_batch.register_nfc'").count == 2)
        }
    }

    @Test("bad rows are a 422 naming each line, and nothing is stored: a bad UID, a repeated UID, a serial of no seal in the batch, a UID on another seal; a brand without a master key is told so; a viewer gets 403")
    func refuses() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            let (batchID, serials) = try await Self.batch(database, count: 3)
            let (otherBatch, otherSerials) = try await Self.batch(database, count: 1)
            try await withTestApp(database, nfcKeys: try Self.keys()) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                try await editor.get("/portal/seals/batches/\(otherBatch)")
                let first = try await editor.upload(
                    "/portal/seals/batches/\(otherBatch)/nfc-tags",
                    file: ("tags_file", "t.csv", "text/csv", Array("\(otherSerials[0]),04AAAAAAAAAA80\n".utf8)))
                #expect(first.status == .seeOther)

                try await editor.get("/portal/seals/batches/\(batchID)")
                let bad = try await editor.upload("/portal/seals/batches/\(batchID)/nfc-tags", file: ("tags_file", "t.csv", "text/csv", Array("""
                    serial,uid
                    \(serials[0]),04958CAA5C5E8
                    \(serials[1]),041E3C8A2D6B80
                    \(serials[2]),041E3C8A2D6B80
                    """.utf8)))
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains("Line 2: “04958CAA5C5E8” is not a tag UID (14 hexadecimal digits)."))
                #expect(bad.text.contains("Line 4: the UID 041E3C8A2D6B80 already appears on line 3."))
                let stored = try await editor.upload("/portal/seals/batches/\(batchID)/nfc-tags", file: ("tags_file", "t.csv", "text/csv", Array("""
                    \(serials[0]),04958CAA5C5E80
                    NOT-IN-BATCH,041E3C8A2D6B80
                    \(serials[2]),04AAAAAAAAAA80
                    """.utf8)))
                #expect(stored.status == .unprocessableContent)
                #expect(stored.text.contains("Line 2: this batch has no seal “NOT-IN-BATCH”."))
                #expect(stored.text.contains("Line 3: the UID 04AAAAAAAAAA80 is registered on another seal."))
                #expect(stored.text.contains("Nothing was imported."))

                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                try await viewer.get("/portal/seals/batches/\(batchID)")
                let refused = try await viewer.upload(
                    "/portal/seals/batches/\(batchID)/nfc-tags", file: ("tags_file", "t.csv", "text/csv", Array("\(serials[0]),04958CAA5C5E80\n".utf8)))
                #expect(refused.status == .forbidden)
            }
            try await withTestApp(database) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                try await editor.get("/portal/seals/batches/\(batchID)")
                let noKey = try await editor.upload(
                    "/portal/seals/batches/\(batchID)/nfc-tags", file: ("tags_file", "t.csv", "text/csv", Array("\(serials[0]),04958CAA5C5E80\n".utf8)))
                #expect(noKey.status == .unprocessableContent)
                #expect(noKey.text.contains("This brand has no NFC master key on the server"))
            }
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT count(*)::text FROM nfc_tags") == ["1"])
        }
    }

    @Test("a seal registered again with another UID (a replaced tag) starts again: counter, taps and last tapper; the same UID keeps them")
    func replacedTag() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            let (batchID, serials) = try await Self.batch(database, count: 1)
            let state = "SELECT encode(uid, 'hex') || ' ' || last_counter || ' ' || taps || ' ' || (last_visitor IS NULL) FROM nfc_tags"
            try await withTestApp(database, nfcKeys: try Self.keys()) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                func register(_ uid: String) async throws {
                    try await editor.get("/portal/seals/batches/\(batchID)")
                    let sent = try await editor.upload(
                        "/portal/seals/batches/\(batchID)/nfc-tags", file: ("tags_file", "t.csv", "text/csv", Array("\(serials[0]),\(uid)\n".utf8)))
                    #expect(sent.status == .seeOther)
                }
                try await register("04958CAA5C5E80")
                // As if three taps had been accepted, the last at counter 7.
                try await database.withClient { try await $0.run("UPDATE nfc_tags SET last_counter = 7, taps = 3, last_visitor = '\\x01'") }
                try await register("04958CAA5C5E80")
                #expect(try await LoyaltyClaimTests.rows(database, PostgresQuery(unsafeSQL: state)) == ["04958caa5c5e80 7 3 false"])
                try await register("041E3C8A2D6B80")
                #expect(try await LoyaltyClaimTests.rows(database, PostgresQuery(unsafeSQL: state)) == ["041e3c8a2d6b80 -1 0 true"])
            }
        }
    }
}
