import Foundation
import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Products through the API")
struct ProductAPITests {
    static let product = """
        {"gtin": "4006381333931", "sku": "AC-250", "default_language": "fr",
         "translations": {
           "fr": {"name": "Miel d’acacia", "description": "Doux et doré."},
           "en": {"name": "Acacia Honey", "description": "Mild & golden."},
           "de": {"name": "Akazienhonig"},
           "es": {"name": "Miel de acacia", "warnings": "No apto para menores de 12 meses."}}}
        """

    @Test("no key, an unknown key and a key without the scope get 401, 401 and 403 problems")
    func authentication() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let readOnly = try await APIClientFixture.key(database, brand: "demo", scopes: [.consultationsRead])
            try await withTestApp(database) { client in
                let none = try await client.api(.get, "/api/v1/products", key: nil)
                #expect(none.status == .unauthorized)
                #expect(none.headers[.contentType] == "application/problem+json")
                #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(none.json["type"] as? String == "/api/v1/problems/unauthorized")
                #expect(none.json["status"] as? Int == 401)
                #expect(try await client.api(.get, "/api/v1/products", key: APIKeyFormat.generate()).status == .unauthorized)
                let forbidden = try await client.api(.get, "/api/v1/products", key: readOnly)
                #expect(forbidden.status == .forbidden)
                #expect((forbidden.json["detail"] as? String)?.contains("products:read") == true)
            }
        }
    }

    @Test("a product created with four languages reads back, carries an ETag, and shows on the scan page")
    func create() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let created = try await client.api(.post, "/api/v1/products", key: key, json: Self.product)
                #expect(created.status == .created)
                #expect(created.headers[.location] == "/api/v1/products/04006381333931")
                let etag = try #require(created.headers[.eTag])
                #expect(created.json["gtin"] as? String == "04006381333931")
                #expect((created.json["languages"] as? [String]) == ["en", "fr", "de", "es"])
                let read = try await client.api(.get, "/api/v1/products/4006381333931", key: key)
                #expect(read.status == .ok && read.headers[.eTag] == etag)
                let page = try await client.execute(uri: "/01/04006381333931?lang=es", method: .get)
                #expect(page.text.contains("No apto para menores de 12 meses."))
                let audit = try await database.withClient { try await $0.scalar("SELECT actor_kind || ':' || actor_name FROM audit_events WHERE action = 'product.create'", as: String.self) }
                #expect(audit == "api_key:test")
            }
        }
    }

    @Test("bad fields are all listed in one 422; unknown fields and broken JSON are 400; a huge body is 413")
    func validation() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let bad = try await client.api(.post, "/api/v1/products", key: key, json: """
                    {"gtin": "4006381333932", "default_language": "de", "translations": {"en": {"name": ""}}, "sku": ""}
                    """)
                #expect(bad.status == .unprocessableContent)
                #expect(bad.json["type"] as? String == "/api/v1/problems/validation")
                let fields = Set(((bad.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
                #expect(fields == ["gtin", "sku", "translations.en.name", "translations.de"])

                let unknown = try await client.api(.post, "/api/v1/products", key: key, json: """
                    {"gtin": "4006381333931", "default_language": "en", "translations": {"en": {"name": "X"}}, "colour": "red"}
                    """)
                #expect(unknown.status == .badRequest)
                #expect(unknown.headers[.contentType] == "application/problem+json")
                let broken = try await client.api(.post, "/api/v1/products", key: key, json: "{\"gtin\": ")
                #expect(broken.status == .badRequest)
                let huge = try await client.api(.post, "/api/v1/products", key: key, json: String(repeating: " ", count: 1_100_000) + "{}")
                #expect(huge.status == .contentTooLarge)
                #expect(huge.json["type"] as? String == "/api/v1/problems/too-large")
            }
            #expect(try await database.withClient { try await $0.scalar("SELECT count(*) FROM products", as: Int.self) } == 3)
        }
    }

    @Test("a retried creation with the same Idempotency-Key replays the first answer; another body with that key is 422")
    func idempotency() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let headers: HTTPFields = [.init("Idempotency-Key")!: "order-4711"]
                let first = try await client.api(.post, "/api/v1/products", key: key, json: Self.product, headers: headers)
                let retry = try await client.api(.post, "/api/v1/products", key: key, json: Self.product, headers: headers)
                #expect(first.status == .created && retry.status == .created)
                #expect(String(buffer: retry.body) == String(buffer: first.body))
                #expect(retry.headers[.location] == first.headers[.location])
                #expect(retry.headers[.init("Idempotent-Replayed")!] == "true")
                let other = try await client.api(.post, "/api/v1/products", key: key,
                                                 json: Self.product.replacingOccurrences(of: "AC-250", with: "AC-500"), headers: headers)
                #expect(other.status == .unprocessableContent)
                #expect(other.json["type"] as? String == "/api/v1/problems/idempotency-mismatch")
                let without = try await client.api(.post, "/api/v1/products", key: key, json: Self.product)
                #expect(without.status == .conflict, "without a key, a second creation is a plain conflict")
            }
            #expect(try await database.withClient { try await $0.scalar("SELECT count(*) FROM products WHERE gtin = '04006381333931'", as: Int.self) } == 1)
        }
    }

    @Test("updates need If-Match: none is 428, a stale ETag 412, the current one saves and gets a new ETag")
    func ifMatch() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let read = try await client.api(.get, "/api/v1/products/03760123450003", key: key)
                let etag = try #require(read.headers[.eTag])
                let update = #"{"default_language": "fr", "translations": {"fr": {"name": "Miel de lavande bio"}}}"#
                #expect(try await client.api(.put, "/api/v1/products/03760123450003", key: key, json: update).status == .preconditionRequired)
                let saved = try await client.api(.put, "/api/v1/products/03760123450003", key: key, json: update, headers: [.ifMatch: etag])
                #expect(saved.status == .ok)
                #expect(saved.headers[.eTag] != etag)
                #expect((saved.json["languages"] as? [String]) == ["fr"])
                let stale = try await client.api(.put, "/api/v1/products/03760123450003", key: key, json: update, headers: [.ifMatch: etag])
                #expect(stale.status == .preconditionFailed)
                #expect(stale.json["type"] as? String == "/api/v1/problems/precondition-failed")
            }
        }
    }

    @Test("the product list pages with an opaque cursor")
    func paging() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let first = try await client.api(.get, "/api/v1/products?limit=2", key: key)
                let items = (first.json["items"] as? [[String: Any]]) ?? []
                #expect(items.compactMap { $0["gtin"] as? String } == ["03760123450003", "03760123450010"])
                let cursor = try #require(first.json["next_cursor"] as? String)
                let second = try await client.api(.get, "/api/v1/products?limit=2&cursor=\(cursor)", key: key)
                #expect(((second.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["gtin"] as? String } == ["03760123450027"])
                #expect(second.json["next_cursor"] == nil)
                #expect(try await client.api(.get, "/api/v1/products?limit=0", key: key).status == .unprocessableContent)
                #expect(try await client.api(.get, "/api/v1/products?cursor=%21%21", key: key).status == .unprocessableContent)
            }
        }
    }

    @Test("each key has its own budget of calls a minute; over it, 429 with Retry-After and a problem body")
    func rateLimit() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let busy = try await APIClientFixture.key(database, brand: "demo", name: "busy")
            let calm = try await APIClientFixture.key(database, brand: "demo", name: "calm")
            try await withTestApp(database, apiRateLimit: 3) { client in
                // Windows are fixed minutes: a call may straddle a new one, so
                // allow one more window's worth before the refusal must come.
                var allowed = 0
                var refusal: TestResponse?
                for _ in 0..<7 where refusal == nil {
                    let response = try await client.api(.get, "/api/v1/products", key: busy)
                    if response.status == .ok { allowed += 1 } else { refusal = response }
                }
                let limited = try #require(refusal)
                #expect(allowed >= 3)
                #expect(limited.status == .tooManyRequests)
                #expect(limited.headers[.contentType] == "application/problem+json")
                #expect(limited.json["type"] as? String == "/api/v1/problems/rate-limited")
                #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
                #expect(try await client.api(.get, "/api/v1/products", key: calm).status == .ok, "another key keeps its own budget")
            }
        }
    }
}
