import Foundation
import HTTPTypes
import HummingbirdTesting
import SignetCore
import Logging
import SignetServer
import Testing

@Suite("Lots, seal batches and consultations through the API")
struct SealAndLotAPITests {
    @Test("a lot is created, recalled with a notice the scan page shows, and released")
    func lots() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let created = try await client.api(.post, "/api/v1/products/03760123450003/lots", key: key,
                                                   json: #"{"code": "HL2701", "produced_on": "2027-01-10", "expires_on": "2029-01-10"}"#)
                #expect(created.status == .created)
                #expect(created.json["status"] as? String == "released")
                let bad = try await client.api(.post, "/api/v1/products/03760123450003/lots", key: key,
                                               json: #"{"code": "HL 27", "produced_on": "2027-02-30"}"#)
                #expect(bad.status == .unprocessableContent)
                #expect(((bad.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }.sorted() == ["code", "produced_on"])

                let recalled = try await client.api(.put, "/api/v1/products/03760123450003/lots/HL2406/recall", key: key,
                                                    json: #"{"notice": {"en": "Stop using: may contain glass."}}"#)
                #expect(recalled.status == .ok)
                #expect(recalled.json["status"] as? String == "recalled")
                let scan = try await client.execute(uri: demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00002"), method: .get, headers: [.acceptLanguage: "en"])
                #expect(scan.text.contains("data-verdict=\"recalled\"") && scan.text.contains("Stop using: may contain glass."))
                let released = try await client.api(.delete, "/api/v1/products/03760123450003/lots/HL2406/recall", key: key)
                #expect(released.json["status"] as? String == "released")
                #expect(try await client.api(.delete, "/api/v1/products/03760123450003/lots/NOPE/recall", key: key).status == .notFound)
            }
        }
    }

    @Test("a seal batch is accepted, generated, exported as CSV, and partly deactivated")
    func batch() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let accepted = try await client.api(.post, "/api/v1/seal-batches", key: key,
                                                    json: #"{"gtin": "03760123450010", "quantity": 1500, "initial_status": "active", "markets": ["fr"]}"#)
                #expect(accepted.status == .accepted)
                let location = try #require(accepted.headers[.location])
                var state = ""
                for _ in 0..<300 {
                    let batch = try await client.api(.get, location, key: key)
                    state = ((batch.json["job"] as? [String: Any])?["state"] as? String) ?? ""
                    if state == "done" || state == "failed" {
                        #expect((batch.json["seals_by_status"] as? [String: Int])?["active"] == 1500)
                        #expect(batch.json["markets"] as? [String] == ["FR"])
                        break
                    }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(state == "done")
                let csv = try await client.api(.get, location + "/seals", key: key)
                #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
                let serials = csv.text.split(separator: "\n").dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[2]) }
                #expect(serials.count == 1500)
                let changed = try await client.api(.put, location + "/status", key: key,
                                                   json: "{\"status\": \"deactivated\", \"serials\": [\"\(serials[0])\", \"\(serials[1])\"]}")
                #expect(changed.json["changed"] as? Int == 2)
                let invalid = try await client.api(.post, "/api/v1/seal-batches", key: key, json: #"{"gtin": "03760123450010", "quantity": 0, "serial_length": 30, "markets": ["FRA"]}"#)
                #expect(((invalid.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }.sorted() == ["markets", "quantity", "serial_length"])
            }
        }
    }

    @Test("consultations are listed newest first, filtered, and paged without gaps")
    func consultations() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                for serial in ["H00001", "H00002", "H00003", "H00004", "H00005"] {
                    _ = try await client.execute(uri: demo.path(DemoFixture.honey, lot: "HL2406", serial: serial), method: .get)
                }
                _ = try await client.execute(uri: "/01/03760123450003/10/HL2406/21/H00006?t=AAAAAAAAAAAAAAAA", method: .get)
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let page = try await client.api(.get, "/api/v1/consultations?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), key: key)
                    #expect(page.status == .ok)
                    seen += ((page.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["serial"] as? String }
                    cursor = page.json["next_cursor"] as? String
                } while cursor != nil
                #expect(seen == ["H00006", "H00005", "H00004", "H00003", "H00002", "H00001"])
                let counterfeit = try await client.api(.get, "/api/v1/consultations?verdict=counterfeit", key: key)
                #expect(((counterfeit.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["serial"] as? String } == ["H00006"])
                let bad = try await client.api(.get, "/api/v1/consultations?country=france&gtin=123", key: key)
                #expect(((bad.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }.sorted() == ["country", "gtin"])
            }
        }
    }

    @Test("the OpenAPI document is served and describes exactly the API routes the server has")
    func document() async throws {
        try await withTestDatabase { database in
            try await withTestApp(database) { client in
                let document = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
                #expect(document.status == .ok)
                #expect(document.text.hasPrefix("openapi: 3.1.0"))
                var described: Set<String> = []
                var path: String?
                for line in document.text.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line == "components:" { break }
                    if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()) }
                    for method in ["get", "post", "put", "delete", "patch"] where line == "    \(method):" {
                        described.insert("\(method.uppercased()) /api/v1\(path ?? "")")
                    }
                }
                var logger = Logger(label: "t")
                logger.logLevel = .error
                let routes = Set(try await routeList(
                    configuration: SignetConfiguration(resourcesDirectory: TestEnvironment.packageRoot), logger: logger
                ).filter { $0.contains(" /api/v1/") && !$0.hasSuffix("openapi.yaml") })
                #expect(described == routes)
                #expect(described.count == 58)
            }
        }
    }
}
