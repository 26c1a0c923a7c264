import Foundation
import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Users and API keys managed by owners")
struct UserManagementTests {
    @Test("an owner invites an editor, whose link works once; a role change and a disable take effect at once")
    func invite() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var owner = PortalBrowser(client)
                try await owner.signIn("owner@demo.test")
                try await owner.get("/portal/users")
                let invited = try await owner.post("/portal/users", ["email": "Ed@Demo.test", "role": "editor"])
                #expect(invited.status == .ok)
                let link = try #require(invited.text.range(of: "http://scan.test/portal/welcome/").map {
                    String(invited.text[$0.lowerBound...].prefix { $0 != "<" })
                })
                #expect(invited.text.contains("ed@demo.test"))

                var editor = PortalBrowser(client)
                try await editor.get(String(link.dropFirst("http://scan.test".count)))
                #expect(try await editor.post(String(link.dropFirst("http://scan.test".count)), [
                    "password": AccountsFixture.password, "confirmation": AccountsFixture.password,
                ]).status == .seeOther)
                let products = try await editor.get("/portal/products")
                #expect(products.status == .ok)
                #expect(!products.text.contains("/portal/users"), "editors have no Users entry")
                #expect(try await editor.get("/portal/users").status == .forbidden)

                let editorID = try #require(try await database.withClient { try await $0.scalar("SELECT id FROM users WHERE email = 'ed@demo.test'", as: Int64.self) })
                try await owner.get("/portal/users")
                #expect(try await owner.post("/portal/users/\(editorID)/role", ["role": "viewer"]).status == .seeOther)
                try await editor.get("/portal/products/new")
                #expect(try await editor.get("/portal/products/new").status == .forbidden, "now a viewer")

                try await owner.get("/portal/users")
                #expect(try await owner.post("/portal/users/\(editorID)/disable").status == .seeOther)
                #expect(try await editor.get("/portal/products").status == .seeOther, "a disabled user is signed out")
                let page = try await owner.get("/portal/users")
                #expect(page.text.contains(try UIStrings.html("portal_user_disabled", .en)))
            }
        }
    }

    @Test("the last enabled owner cannot demote or disable themself away: 409, nothing changes")
    func lastOwner() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            let ownerID = try #require(try await database.withClient { try await $0.scalar("SELECT id FROM users", as: Int64.self) })
            try await withTestApp(database) { client in
                var owner = PortalBrowser(client)
                try await owner.signIn("owner@demo.test")
                try await owner.get("/portal/users")
                let demoted = try await owner.post("/portal/users/\(ownerID)/role", ["role": "editor"])
                #expect(demoted.status == .conflict)
                #expect(demoted.text.contains(try UIStrings.html("portal_error_last_owner", .en)))
            }
            #expect(try await database.withClient { try await $0.scalar("SELECT role FROM users", as: String.self) } == "owner")
        }
    }

    @Test("an API key created in the portal is shown once, works with its scopes only, and stops at revocation")
    func apiKeys() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var owner = PortalBrowser(client)
                try await owner.signIn("owner@demo.test")
                try await owner.get("/portal/keys")
                let none = try await owner.post("/portal/keys", ["name": "erp"])
                #expect(none.status == .unprocessableContent)
                #expect(none.text.contains(try UIStrings.html("portal_error_scopes", .en)))
                let created = try await owner.post("/portal/keys", ["name": "erp", "scope_products:read": "on"])
                let key = try #require(created.text.range(of: "sgk_").map { String(created.text[$0.lowerBound...].prefix(47)) })
                #expect(APIKeyFormat.bearerKey(fromAuthorization: "Bearer \(key)") == key)
                #expect(try await client.api(.get, "/api/v1/products", key: key).status == .ok)
                #expect(try await client.api(.get, "/api/v1/consultations", key: key).status == .forbidden)

                let list = try await owner.get("/portal/keys")
                #expect(!list.text.contains(key) && list.text.contains(String(key.prefix(12))))
                let keyID = try #require(try await database.withClient { try await $0.scalar("SELECT id FROM api_keys", as: Int64.self) })
                #expect(try await owner.post("/portal/keys/\(keyID)/revoke").status == .seeOther)
                #expect(try await client.api(.get, "/api/v1/products", key: key).status == .unauthorized)
            }
        }
    }
}
