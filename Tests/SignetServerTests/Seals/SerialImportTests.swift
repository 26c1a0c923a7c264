import HTTPTypes
import NIOCore
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Serial import, serial ranges and label sheets")
struct SerialImportTests {
    static func csv(_ text: String) -> (field: String, name: String, type: String, bytes: [UInt8]) {
        ("file", "line-7.csv", "text/csv", Array(text.utf8))
    }

    static func sealCount(_ database: TestDatabase, prefix: String) async throws -> Int {
        try await database.withClient {
            try await $0.scalar("SELECT count(*)::int FROM seals WHERE serial LIKE \(prefix + "%")", as: Int.self) ?? -1
        }
    }

    @Test("a packaging line's CSV (header, semicolons, byte-order mark) becomes one batch whose seals scan")
    func importsFile() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                try await browser.get("/portal/seals")
                let rows = (1...250).map { String(format: "2026-11-29;L7-%05d;ok", $0) }.joined(separator: "\r\n")
                let imported = try await browser.upload("/portal/seals/imports", [
                    "gtin": DemoFixture.honey.digits, "lot": "HL2406", "initial_status": "active",
                ], file: Self.csv("\u{FEFF}printed_at;serial;check\r\n" + rows + "\r\n\r\n"))
                #expect(imported.status == .seeOther)
                let batchPath = try #require(imported.headers[.location])
                #expect(try await Self.sealCount(database, prefix: "L7-") == 250)
                let page = try await browser.get(batchPath)
                #expect(page.text.contains("<strong>250</strong> \(try UIStrings.text("portal_status_active", .en))"))
                let scan = try await client.execute(uri: demo.path(DemoFixture.honey, lot: "HL2406", serial: "L7-00042"), method: .get)
                #expect(scan.text.contains("data-verdict=\"genuine_first\""))
                let source = try await database.withClient {
                    try await $0.scalar("SELECT source || ':' || quantity FROM seal_batches ORDER BY id DESC LIMIT 1", as: String.self)
                }
                #expect(source == "imported:250")
                let audit = try await database.withClient {
                    try await $0.scalar("SELECT details->>'file' FROM audit_events WHERE action = 'seal_batch.import'", as: String.self)
                }
                #expect(audit == "line-7.csv")
            }
        }
    }

    @Test("one bad row rejects the whole file with every bad line named, in the manager's language; nothing is stored")
    func rejectsBadRows() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                browser.acceptLanguage = "fr"
                try await browser.signIn("editor@demo.test")
                try await browser.get("/portal/seals")
                // Line 3 is not GS1 set 82, line 5 repeats line 2, line 6 exists already (a demo seal).
                let refused = try await browser.upload("/portal/seals/imports", ["gtin": DemoFixture.honey.digits, "initial_status": "pending"],
                                                       file: Self.csv("serial\nNEW-1\nBAD SERIAL é\nNEW-2\nNEW-1\nH00001\n"))
                #expect(refused.status == .unprocessableContent)
                let strings = try UIStrings.text("portal_import_bad_serial", .fr)
                #expect(strings.contains("Ligne"))
                #expect(refused.text.contains("Ligne 3"))
                #expect(refused.text.contains("Ligne 5 : « NEW-1 » figure déjà ligne 2."))
                #expect(!refused.text.contains("Ligne 6"), "rows are checked against the database only when the file itself is clean")
                #expect(try await Self.sealCount(database, prefix: "NEW-") == 0)

                let existing = try await browser.upload("/portal/seals/imports", ["gtin": DemoFixture.honey.digits, "initial_status": "pending"],
                                                        file: Self.csv("NEW-1\nNEW-2\nH00001\nH00002\n"))
                #expect(existing.status == .unprocessableContent)
                #expect(existing.text.contains("Ligne 3 : ce produit a déjà un scellé « H00001 »."))
                #expect(existing.text.contains("Ligne 4"))
                #expect(try await Self.sealCount(database, prefix: "NEW-") == 0)

                let notText = try await browser.upload("/portal/seals/imports", ["gtin": DemoFixture.honey.digits],
                                                       file: ("file", "x.csv", "text/csv", [0xFF, 0xFE, 0x00, 0x41]))
                #expect(notText.status == .unprocessableContent)
                #expect(notText.text.contains(try UIStrings.html("portal_import_not_utf8", .fr)))
                let noFile = try await browser.upload("/portal/seals/imports", ["gtin": DemoFixture.honey.digits], file: nil)
                #expect(noFile.status == .unprocessableContent)
                let batches = try await database.withClient { try await $0.scalar("SELECT count(*)::int FROM seal_batches", as: Int.self) }
                #expect(batches == 0)
            }
        }
    }

    @Test("an upload without the CSRF token, from a viewer, or with a broken body changes nothing")
    func refusals() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database) { client in
                var editor = PortalBrowser(client)
                try await editor.signIn("editor@demo.test")
                let fields = ["gtin": DemoFixture.honey.digits, "initial_status": "active"]
                #expect(try await editor.upload("/portal/seals/imports", fields, file: Self.csv("X-1\n"), csrf: "wrong").status == .forbidden)
                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                #expect(try await viewer.upload("/portal/seals/imports", fields, file: Self.csv("X-1\n")).status == .forbidden)
                var headers: HTTPFields = [.contentType: "multipart/form-data; boundary=nothing-here"]
                headers[.cookie] = editor.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
                let broken = try await client.execute(uri: "/portal/seals/imports", method: .post, headers: headers, body: ByteBuffer(string: "garbage"))
                #expect(broken.status == .badRequest || broken.status == .forbidden)
                #expect(try await Self.sealCount(database, prefix: "X-") == 0)
            }
        }
    }

    @Test("a serial range activates exactly the serials between its ends, an uploaded list deactivates its serials; bad input is 422")
    func range() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                try await browser.get("/portal/seals")
                let rows = (1...30).map { String(format: "R7-%04d", $0) }.joined(separator: "\n")
                let imported = try await browser.upload("/portal/seals/imports", ["gtin": DemoFixture.honey.digits, "initial_status": "pending"],
                                                        file: Self.csv(rows))
                let batchPath = try #require(imported.headers[.location])
                try await browser.get(batchPath)
                let activated = try await browser.post(batchPath + "/activate", ["from_serial": "R7-0009", "to_serial": "R7-0012"])
                #expect(activated.headers[.location] == batchPath + "?changed=4")
                let active = try await database.withClient {
                    try await $0.scalar("SELECT string_agg(serial, ',' ORDER BY serial) FROM seals WHERE serial LIKE 'R7-%' AND status = 'active'", as: String.self)
                }
                #expect(active == "R7-0009,R7-0010,R7-0011,R7-0012")
                let inverted = try await browser.post(batchPath + "/activate", ["from_serial": "R7-0020", "to_serial": "R7-0010"])
                #expect(inverted.status == .unprocessableContent)
                #expect(inverted.text.contains(try UIStrings.html("portal_error_serial_range", .en)))

                func list(_ text: String) -> (field: String, name: String, type: String, bytes: [UInt8]) {
                    ("serials_file", "list.csv", "text/csv", Array(text.utf8))
                }
                let listed = try await browser.upload(batchPath + "/deactivate", [:], file: list("serial\nR7-0010\nR7-0011\nR7-0030\n"))
                #expect(listed.headers[.location] == batchPath + "?changed=3")
                let badList = try await browser.upload(batchPath + "/deactivate", [:], file: list("R7-0010\nnot a serial\n"))
                #expect(badList.status == .unprocessableContent)
                #expect(badList.text.contains("Line 2"))
                let emptyList = try await browser.upload(batchPath + "/deactivate", [:], file: list(""))
                #expect(emptyList.status == .unprocessableContent, "an empty file never means the whole batch")

                let key = try await APIClientFixture.key(database, brand: "demo")
                let batchID = String(batchPath.split(separator: "/").last!)
                let viaAPI = try await client.api(.put, "/api/v1/seal-batches/\(batchID)/status", key: key,
                                                  json: #"{"status": "active", "serial_range": {"from": "R7-0028", "to": "R7-0099"}}"#)
                #expect(viaAPI.json["changed"] as? Int == 3)
                let finallyActive = try await database.withClient {
                    try await $0.scalar("SELECT string_agg(serial, ',' ORDER BY serial) FROM seals WHERE serial LIKE 'R7-%' AND status = 'active'", as: String.self)
                }
                #expect(finallyActive == "R7-0009,R7-0012,R7-0028,R7-0029,R7-0030")
                let both = try await client.api(.put, "/api/v1/seal-batches/\(batchID)/status", key: key,
                                                json: #"{"status": "active", "serials": ["R7-0001"], "serial_range": {"from": "R7-0001", "to": "R7-0002"}}"#)
                #expect(both.status == .unprocessableContent)
            }
        }
    }

    @Test("a small batch prints as A4 SVG label sheets of 40 QR codes, each naming its serial")
    func labelSheets() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                try await browser.get("/portal/seals")
                let rows = (1...45).map { String(format: "Q&%03d", $0) }.joined(separator: "\n")
                let imported = try await browser.upload("/portal/seals/imports", ["gtin": DemoFixture.honey.digits, "initial_status": "active"],
                                                        file: Self.csv(rows))
                let batchPath = try #require(imported.headers[.location])
                let page = try await browser.get(batchPath)
                #expect(page.text.contains("\(batchPath)/labels.svg?page=2"))
                #expect(!page.text.contains("\(batchPath)/labels.svg?page=3"))
                let first = try await browser.get(batchPath + "/labels.svg")
                #expect(first.status == .ok)
                #expect(first.headers[.contentType] == "image/svg+xml; charset=utf-8")
                #expect(first.text.contains(#"width="210mm" height="297mm""#))
                #expect(first.text.components(separatedBy: "<path d=").count - 1 == 40)
                #expect(first.text.contains(">Q&amp;001<"))
                let second = try await browser.get(batchPath + "/labels.svg?page=2")
                #expect(second.text.components(separatedBy: "<path d=").count - 1 == 5)
                #expect(second.text.contains(">Q&amp;045<"))
                #expect(try await browser.get(batchPath + "/labels.svg?page=3").status == .notFound)
            }
        }
    }
}
