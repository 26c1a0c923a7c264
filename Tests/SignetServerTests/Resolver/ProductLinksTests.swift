import Foundation
import HTTPTypes
import HummingbirdTesting
import SignetCore
import SignetServer
import Testing

@Suite("Resolver links in the API and the portal")
struct ProductLinksTests {
    static let links = "/api/v1/products/03760123450003/links"

    @Test("through the API a link is created, listed, replaced and deleted; a new default takes the mark; every bad field is named in one 422")
    func api() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            _ = try await AccountsFixture.brand(database, slug: "other")
            let key = try await APIClientFixture.key(database, brand: "demo")
            let reader = try await APIClientFixture.key(database, brand: "demo", scopes: [.productsRead], name: "reader")
            let stranger = try await APIClientFixture.key(database, brand: "other")
            try await withTestApp(database) { client in
                let first = try await client.api(.post, Self.links, key: key, json: """
                    {"type":"gs1:pip","href":"https://brand.example/honey","title":"Our honey","languages":["EN","fr-ca"],"default":true}
                    """)
                #expect(first.status == .created)
                #expect(first.json["type"] as? String == "gs1:pip")
                #expect(first.json["languages"] as? [String] == ["en", "fr-CA"])
                #expect(first.json["default"] as? Bool == true)
                let firstID = try #require(first.json["id"] as? Int)
                let second = try await client.api(.post, Self.links, key: key, json: """
                    {"type":"gs1:sustainabilityInfo","href":"https://brand.example/recycling","title":"Recycling","default":true}
                    """)
                let secondID = try #require(second.json["id"] as? Int)
                let listed = try #require(try await client.api(.get, Self.links, key: reader).json["items"] as? [[String: Any]])
                #expect(listed.count == 2)
                #expect(listed.filter { $0["default"] as? Bool == true }.compactMap { $0["id"] as? Int } == [secondID],
                        "one default per level: the newer took the mark")
                #expect(try await client.execute(uri: "/01/03760123450003", method: .get).headers[.location] == "https://brand.example/recycling")

                let replaced = try await client.api(.put, Self.links + "/\(secondID)", key: key, json: """
                    {"type":"gs1:sustainabilityInfo","href":"https://brand.example/recycling-hl2406","title":"Recycling this harvest","lot":"HL2406"}
                    """)
                #expect(replaced.status == .ok)
                #expect(replaced.json["lot"] as? String == "HL2406" && replaced.json["default"] as? Bool == false)
                // With the brand's own gs1:pip and no default left, the brand's product page is the default.
                #expect(try await client.execute(uri: "/01/03760123450003", method: .get).headers[.location] == "https://brand.example/honey")

                let bad = try await client.api(.post, Self.links, key: key, json: """
                    {"type":"gs1:recyclingInfo","href":"javascript:alert(1)","title":"","languages":["english"],"media_type":"pdf",
                     "context":"a b","lot":"L1","serial":"S1","default":true}
                    """)
                #expect(bad.status == .unprocessableContent)
                let fields = Set(((bad.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
                #expect(fields == ["type", "href", "title", "languages", "media_type", "context", "serial", "default"])
                let resolverOnly = try await client.api(.post, Self.links, key: key, json: """
                    {"type":"gs1:defaultLink","href":"https://brand.example","title":"x"}
                    """)
                #expect(resolverOnly.status == .unprocessableContent)
                #expect(try await client.api(.post, Self.links, key: reader, json: """
                    {"type":"gs1:pip","href":"https://brand.example","title":"x"}
                    """).status == .forbidden)
                #expect(try await client.api(.get, Self.links, key: stranger).status == .notFound)
                #expect(try await client.api(.delete, Self.links + "/\(firstID)", key: stranger).status == .notFound)
                #expect(try await client.api(.put, "/api/v1/products/03760123450010/links/\(firstID)", key: key, json: """
                    {"type":"gs1:pip","href":"https://brand.example","title":"x"}
                    """).status == .notFound, "a link is only reached through its own product")

                #expect(try await client.api(.delete, Self.links + "/\(firstID)", key: key).status == .noContent)
                #expect(try await client.api(.delete, Self.links + "/\(firstID)", key: key).status == .notFound)
                let page = try await client.execute(uri: "/01/03760123450003", method: .get)
                #expect(page.status == .ok, "without links of the brand's, Signet's product page again")
            }
            let audit = try await database.withClient {
                try await $0.scalar("SELECT count(*)::int FROM audit_events WHERE action LIKE 'product_link.%'", as: Int.self)
            }
            #expect(audit == 4)
        }
    }

    @Test("in the portal an editor adds, edits and deletes a link, sees every problem of a bad one, and a viewer only reads")
    func portal() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database) { client in
                var editor = PortalBrowser(client)
                editor.acceptLanguage = "fr"
                try await editor.signIn("editor@demo.test")
                let empty = try await editor.get("/portal/products/03760123450003/links")
                #expect(empty.status == .ok)
                #expect(empty.text.contains(try UIStrings.html("portal_links_empty", .fr)))
                #expect(empty.text.contains("http://scan.test/01/03760123450003?linkType=linkset"))
                for field in ["href", "title", "languages", "media_type", "context", "level_value"] {
                    #expect(empty.text.contains(#"name="\#(field)""#) && empty.text.contains(#"id="\#(field)" name="\#(field)""#))
                    let input = try #require(empty.text.firstMatch(of: try Regex(#"<input id="\#(field)"[^>]*>"#)).map { String(empty.text[$0.range]) })
                    #expect(input.contains(#"value="""#), "a new link's \(field) starts empty: \(input)")
                }

                let bad = try await editor.post("/portal/products/03760123450003/links", [
                    "type": "nope", "href": "ftp://x", "title": " ", "languages": "fr_FR", "level": "serial", "level_value": "H 1", "default": "on",
                ])
                #expect(bad.status == .unprocessableContent)
                for rule in ["link_error_type", "link_error_href", "link_error_title", "link_error_languages", "link_error_serial", "link_error_default"] {
                    #expect(bad.text.contains(try UIStrings.html(rule, .fr)), "\(rule)")
                }
                let created = try await editor.post("/portal/products/03760123450003/links", [
                    "type": "safetyInfo", "href": "https://brand.example/fds.pdf", "title": "Fiche <sécurité>", "languages": "fr",
                    "media_type": "application/pdf", "level": "lot", "level_value": "HL2406",
                ])
                #expect(created.status == .seeOther)
                let listed = try await editor.get("/portal/products/03760123450003/links?saved=1")
                #expect(listed.text.contains("Fiche &lt;sécurité&gt;") && !listed.text.contains("<sécurité>"))
                #expect(listed.text.contains("gs1:safetyInfo"))
                let resolved = try await client.execute(uri: "/01/03760123450003/10/HL2406?linkType=gs1:safetyInfo", method: .get)
                #expect(resolved.headers[.location] == "https://brand.example/fds.pdf")

                let linkURL = try #require(listed.text.firstMatch(of: /\/portal\/products\/03760123450003\/links\/(\d+)"/).map { String($0.output.0.dropLast()) })
                let edit = try await editor.get(linkURL)
                #expect(edit.status == .ok && edit.text.contains("https://brand.example/fds.pdf"))
                let updated = try await editor.post(linkURL, [
                    "type": "safetyInfo", "href": "https://brand.example/fds-2.pdf", "title": "Fiche", "level": "product", "default": "on",
                ])
                #expect(updated.status == .seeOther)
                #expect(try await client.execute(uri: "/01/03760123450003", method: .get).headers[.location] == "https://brand.example/fds-2.pdf")

                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                let readOnly = try await viewer.get(linkURL)
                #expect(readOnly.status == .ok && readOnly.text.contains("disabled"))
                #expect(try await viewer.post(linkURL + "/delete").status == .forbidden)
                #expect(try await viewer.post("/portal/products/03760123450003/links", [
                    "type": "pip", "href": "https://x.example", "title": "x",
                ]).status == .forbidden)

                #expect(try await editor.post(linkURL + "/delete").status == .seeOther)
                #expect(try await editor.get(linkURL).status == .notFound)
                #expect(try await client.execute(uri: "/01/03760123450003", method: .get).status == .ok)
            }
        }
    }
}
