import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Bad input gets a clear, localized error")
struct ErrorPageTests {
    @Test("malformed Digital Links are a 400 page, never a 200", arguments: [
        "/01/03760123450004/21/H00001",      // bad check digit
        "/01/37601234500/21/H00001",         // 11 digits
        "/01/03760123450003/21/H0000000000000000000001",  // serial over 20
        "/01/03760123450003/21/H%20001",     // space not in AI-82
        "/01/03760123450003/21/H%ZZ",        // bad escape
        "/01/03760123450003/21/A/10/L1",     // qualifiers out of order
        "/01/03760123450003/17/261231",      // not a key qualifier
        "/01/03760123450003/21",             // missing value
        "/01",
    ])
    func malformed(path: String) async throws {
        try await withTestDatabase { database in
            try await withTestApp(database) { client in
                let response = try await client.execute(uri: path, method: .get, headers: [.acceptLanguage: "fr"])
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentLanguage] == "fr")
                #expect(try response.text.contains(UIStrings.html("error_bad_request_title", .fr)))
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
            let rows = try await database.withClient { try await $0.scalar("SELECT count(*) FROM consultations", as: Int.self) }
            #expect(rows == 0)
        }
    }

    @Test("unknown pages and unknown products are a localized 404")
    func notFound() async throws {
        try await withTestDatabase { database in
            try await withTestApp(database) { client in
                let page = try await client.execute(uri: "/nothing-here", method: .get, headers: [.acceptLanguage: "de"])
                #expect(page.status == .notFound)
                #expect(try page.text.contains(UIStrings.html("error_not_found_title", .de)))
                let product = try await client.execute(uri: "/01/4006381333931", method: .get, headers: [.acceptLanguage: "es"])
                #expect(product.status == .notFound)
                #expect(try product.text.contains(UIStrings.html("error_not_found_title", .es)))
            }
        }
    }

    @Test("API clients get a JSON problem in their language")
    func jsonProblem() async throws {
        try await withTestDatabase { database in
            try await withTestApp(database) { client in
                let response = try await client.execute(
                    uri: "/01/123", method: .get, headers: [.accept: "application/json", .acceptLanguage: "de"])
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.text.contains("\"status\":400"))
                #expect(try response.text.contains(UIStrings.text("error_bad_request_title", .de)))
            }
        }
    }

    @Test("a token with bytes PostgreSQL refuses is just a wrong token")
    func hostileToken() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                for token in ["%00", "%FF%FE", "%C3%A9", String(repeating: "A", count: 200)] {
                    let response = try await client.execute(uri: "/01/03760123450003/21/H00001?t=\(token)", method: .get)
                    #expect(response.status == .ok, "t=\(token)")
                    #expect(response.text.contains("data-verdict=\"counterfeit\""), "t=\(token)")
                }
            }
        }
    }

    @Test("language links stay on the page: a path like //other.example/ never becomes a link off-site")
    func noOffSiteLinks() async throws {
        try await withTestDatabase { database in
            try await withTestApp(database) { client in
                let response = try await client.execute(uri: "//evil.example/login?x=1", method: .get)
                #expect(response.status == .notFound)
                #expect(!response.text.contains("href=\"//evil.example"))
                #expect(response.text.contains("href=\"?x=1&amp;lang=fr\""))
            }
        }
    }

    @Test("every page carries the security headers")
    func securityHeaders() async throws {
        try await withTestDatabase { database in
            try await withTestApp(database) { client in
                for uri in ["/", "/01/123", "/css/signet.css"] {
                    let response = try await client.execute(uri: uri, method: .get)
                    #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                }
            }
        }
    }
}
