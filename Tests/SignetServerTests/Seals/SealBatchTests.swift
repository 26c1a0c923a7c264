import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
import SignetServer
import Synchronization
import Testing

@Suite("Seal batches from the portal")
struct SealBatchTests {
    @Test("a batch is generated in the background, its progress survives a reload, and its seals export, scan and deactivate")
    func lifecycle() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                try await browser.get("/portal/seals")
                let created = try await browser.post("/portal/seals/batches", [
                    "gtin": "03760123450003", "lot": "HL2406", "quantity": "3000", "serial_length": "12",
                    "initial_status": "active", "markets": "fr, de",
                ])
                #expect(created.status == .seeOther)
                let batchPath = try #require(created.headers[.location])

                let page = try await Self.waitUntilDone(&browser, batchPath)
                #expect(page.text.contains("3000 / 3000"))
                #expect(page.text.contains("<strong>3000</strong> \(try UIStrings.text("portal_status_active", .en))"))
                #expect(page.text.contains("FR, DE"))
                #expect(!page.text.contains("http-equiv=\"refresh\""), "a finished job stops refreshing the page")

                let csv = try await browser.get(batchPath + "/seals.csv")
                #expect(csv.status == .ok)
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                let lines = csv.text.split(separator: "\n")
                #expect(lines.count == 3001)
                #expect(lines[0] == "gtin,lot,serial,url,check_code")
                let serials = lines.dropFirst().map { String($0.split(separator: ",")[2]) }
                #expect(Set(serials).count == 3000)
                #expect(serials.allSatisfy { $0.count == 12 && AI82.isValid($0) })
                let url = String(lines[1].split(separator: ",")[3])
                let path = String(url.dropFirst("http://scan.test".count))
                #expect(try await client.execute(uri: path, method: .get).text.contains("data-verdict=\"genuine_first\""))

                try await browser.get(batchPath)
                let deactivated = try await browser.post(batchPath + "/deactivate", ["serials": "\(serials[0])\n\(serials[1]), NOT-IN-BATCH"])
                #expect(deactivated.headers[.location] == batchPath + "?changed=2")
                #expect(try await client.execute(uri: path, method: .get).text.contains("data-verdict=\"inactive\""))
                let counts = try await browser.get(batchPath + "?changed=2")
                #expect(counts.text.contains("<strong>2</strong> \(try UIStrings.text("portal_status_deactivated", .en))"))
                #expect(counts.text.contains(try UIStrings.text("portal_changed_seals", .en).replacingOccurrences(of: "{count}", with: "2")))
            }
        }
    }

    @Test("a bad batch request lists every problem with a 422 and queues nothing")
    func validation() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                browser.acceptLanguage = "fr"
                try await browser.signIn("editor@demo.test")
                try await browser.get("/portal/seals")
                let bad = try await browser.post("/portal/seals/batches", [
                    "gtin": "03760123450003", "quantity": "0", "serial_length": "7", "initial_status": "active", "markets": "FRA",
                ])
                #expect(bad.status == .unprocessableContent)
                for key in ["portal_error_quantity", "portal_error_serial_length", "portal_error_markets"] {
                    #expect(bad.text.contains(try UIStrings.html(key, .fr)), "\(key)")
                }
                let unknownLot = try await browser.post("/portal/seals/batches", [
                    "gtin": "03760123450003", "lot": "NOPE", "quantity": "10", "serial_length": "10", "initial_status": "pending",
                ])
                #expect(unknownLot.status == .unprocessableContent)
                #expect(unknownLot.text.contains(try UIStrings.html("portal_error_lot_unknown", .fr)))
            }
            #expect(try await database.withClient { try await $0.scalar("SELECT count(*) FROM jobs", as: Int.self) } == 0)
        }
    }

    @Test("a viewer sees batches but cannot create, activate or deactivate them")
    func viewer() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("viewer@demo.test")
                let page = try await browser.get("/portal/seals")
                #expect(page.status == .ok)
                #expect(!page.text.contains("/portal/seals/batches\" class"), "no creation form for viewers")
                let refused = try await browser.post("/portal/seals/batches", [
                    "gtin": "03760123450003", "quantity": "10", "serial_length": "10", "initial_status": "active",
                ])
                #expect(refused.status == .forbidden)
            }
        }
    }

    @Test("the command line's batch runs in its own process with progress up to the total")
    func commandLine() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let reports = ReportLog()
            let batchID = try await database.withClient { client in
                let brand = try #require(try await BrandStore(database: client, logger: Logger(label: "t")).find(slug: "demo"))
                return try await SealBatchCommand(database: client, logger: Logger(label: "t")).run(
                    brandID: brand.id,
                    batch: .init(gtin: DemoFixture.cream, lotCode: nil, quantity: 120_000, serialLength: 10, initialStatus: .pending, markets: [])
                ) { done, total in reports.append(done, total) }
            }
            #expect(reports.last == [120_000, 120_000])
            #expect(reports.count > 2)
            let (count, state) = try await database.withClient { client in
                (try await client.scalar("SELECT count(*) FROM seals WHERE batch_id = \(batchID) AND status = 'pending'", as: Int.self),
                 try await client.scalar("SELECT state FROM jobs", as: String.self))
            }
            #expect(count == 120_000)
            #expect(state == "done")
        }
    }

    @Test("a running job whose instance stopped sending heartbeats is taken over; a queued job is claimed once")
    func takeover() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await database.withClient { client in
                try await client.run("""
                    INSERT INTO jobs (brand_id, kind, state, heartbeat_at, attempts)
                    SELECT id, 'seal_batch', 'running', now() - interval '2 minutes', 1 FROM brands WHERE slug = 'demo'
                    """)
                let jobs = JobStore(database: client, logger: Logger(label: "t"))
                let first = try await jobs.claim()
                #expect(first != nil)
                #expect(try await jobs.claim() == nil, "a fresh heartbeat keeps it")
            }
        }
    }

    /// Reloads the batch page (as its meta refresh would) until the job has finished.
    static func waitUntilDone(_ browser: inout PortalBrowser, _ path: String) async throws -> TestResponse {
        for _ in 0..<300 {
            let page = try await browser.get(path)
            if !page.text.contains("http-equiv=\"refresh\"") { return page }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the batch did not finish within 30 s")
        return try await browser.get(path)
    }
}

/// Progress reports seen by a callback.
final class ReportLog: Sendable {
    private let reports = Mutex<[[Int64]]>([])
    func append(_ done: Int64, _ total: Int64) { reports.withLock { $0.append([done, total]) } }
    var last: [Int64]? { reports.withLock { $0.last } }
    var count: Int { reports.withLock { $0.count } }
}

@Suite("Finding a seal")
struct SealSearchTests {
    @Test("a serial search leads to the seal's page with every consultation of it")
    func search() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database) { client in
                for country in ["212.27.48.10", "192.0.2.1"] {
                    _ = try await client.execute(
                        uri: demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00001"), method: .get, headers: [.xForwardedFor: country])
                }
                var browser = PortalBrowser(client)
                try await browser.signIn("viewer@demo.test")
                let results = try await browser.get("/portal/seals?serial=H00001")
                let link = try #require(results.text.range(of: "href=\"/portal/seals/").map {
                    String(results.text[results.text.index($0.lowerBound, offsetBy: 6)...].prefix { $0 != "\"" })
                }, "no link to the seal in the results")
                let page = try await browser.get(link)
                #expect(page.status == .ok)
                #expect(page.text.contains("H00001"))
                #expect(page.text.components(separatedBy: "portal-verdict--").count - 1 == 2, "two consultations listed")
                let none = try await browser.get("/portal/seals?serial=NOPE")
                #expect(none.text.contains(try UIStrings.html("portal_no_seal_found", .en)))
            }
        }
    }
}
