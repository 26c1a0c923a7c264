import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Roles in the portal")
struct PortalRoleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var role: Role
        var mayEdit: Bool
        var testDescription: String { "\(role)" }
    }

    @Test("viewers read products but every change is refused with 403 and nothing changes; editors and owners change them",
          arguments: [Case(role: .viewer, mayEdit: false), Case(role: .editor, mayEdit: true), Case(role: .owner, mayEdit: true)])
    func catalogue(_ test: Case) async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "someone@demo.test", role: test.role)
            let lotID = try #require(try await database.withClient {
                try await $0.scalar("SELECT id FROM lots WHERE code = 'HL2406'", as: Int64.self)
            })
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("someone@demo.test")
                let page = try await browser.get("/portal/products/03760123450003")
                #expect(page.status == .ok)
                #expect(page.text.contains(try UIStrings.html("portal_read_only", .en)) == !test.mayEdit)
                let version = try #require(ProductEditorTests.field("version", in: page.text))
                let expected: HTTPResponse.Status = test.mayEdit ? .seeOther : .forbidden
                #expect(try await browser.get("/portal/products/new").status == (test.mayEdit ? .ok : .forbidden))
                #expect(try await browser.post("/portal/products", ["gtin": "4006381333931", "name": "New"]).status == expected)
                #expect(try await browser.post(
                    "/portal/products/03760123450003", ["default_language": "fr", "version": version, "fr_name": "Renamed"]
                ).status == expected)
                #expect(try await browser.post("/portal/products/03760123450003/lots", ["code": "NEW1"]).status == expected)
                #expect(try await browser.post("/portal/products/03760123450003/lots/\(lotID)/recall").status == expected)
            }
            let changes = try await database.withClient {
                try await $0.scalar("SELECT count(*) FROM audit_events WHERE actor_kind = 'user'", as: Int.self)
            }
            #expect(changes == (test.mayEdit ? 4 : 0))
        }
    }

    @Test("a signed-in post without the session's CSRF token is refused and changes nothing")
    func csrf() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                let forged = try await browser.post(
                    "/portal/products", ["gtin": "4006381333931", "name": "Forged"], csrf: SecretToken.generate())
                #expect(forged.status == .forbidden)
                let missing = try await browser.post("/portal/sign-out-everywhere", csrf: "")
                #expect(missing.status == .forbidden)
                #expect(try await browser.get("/portal/products").status == .ok)
            }
            #expect(try await database.withClient { try await $0.scalar("SELECT count(*) FROM products WHERE gtin = '04006381333931'", as: Int.self) } == 0)
        }
    }
}
