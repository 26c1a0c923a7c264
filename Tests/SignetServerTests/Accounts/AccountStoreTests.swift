import Foundation
import Logging
import PostgresNIO
import SignetCore
import SignetServer
import Testing

@Suite("Brands, users and API keys from the command line's stores")
struct AccountStoreTests {
    static let logger = Logger(label: "test")

    @Test("a brand gets its own 32-byte seal key; a second brand with the same slug or a bad slug is refused")
    func brands() async throws {
        try await withTestDatabase { database in
            try await database.withClient { client in
                let store = BrandStore(database: client, logger: Self.logger)
                let brand = try await store.create(slug: "maison-aurore", name: "Maison Aurore", defaultLanguage: .fr)
                #expect(brand.slug == "maison-aurore" && brand.defaultLanguage == .fr)
                #expect(try await client.scalar("SELECT octet_length(seal_key) FROM brands WHERE slug = 'maison-aurore'", as: Int.self) == 32)
                await #expect(throws: AccountError.brandExists("maison-aurore")) {
                    try await store.create(slug: "maison-aurore", name: "Again", defaultLanguage: .en)
                }
                await #expect(throws: AccountError.invalidSlug("Bad Slug")) {
                    try await store.create(slug: "Bad Slug", name: "Bad", defaultLanguage: .en)
                }
                #expect(try await client.scalar("SELECT count(*) FROM audit_events WHERE action = 'brand.create'", as: Int.self) == 1)
            }
        }
    }

    @Test("one account per e-mail address across brands; an unknown brand is named")
    func users() async throws {
        try await withTestDatabase { database in
            try await AccountsFixture.brand(database, slug: "a")
            try await AccountsFixture.brand(database, slug: "b")
            try await database.withClient { client in
                let store = UserStore(database: client, logger: Self.logger)
                _ = try await store.create(brandSlug: "a", email: "Ann@Example.com", role: .owner, passwordHash: nil, actor: .commandLine)
                await #expect(throws: AccountError.emailTaken("ann@example.com")) {
                    try await store.create(brandSlug: "b", email: "ann@example.com", role: .viewer, passwordHash: nil, actor: .commandLine)
                }
                await #expect(throws: AccountError.unknownBrand("nope")) {
                    try await store.create(brandSlug: "nope", email: "x@example.com", role: .viewer, passwordHash: nil, actor: .commandLine)
                }
                await #expect(throws: AccountError.invalidEmail("not-an-address")) {
                    try await store.create(brandSlug: "a", email: "not-an-address", role: .viewer, passwordHash: nil, actor: .commandLine)
                }
            }
        }
    }

    @Test("a reset link replaces the earlier one: only the newest works")
    func resetLink() async throws {
        try await withTestDatabase { database in
            let brand = try await AccountsFixture.brand(database, slug: "a")
            let first = try await AccountsFixture.invitedUser(database, brand: "a", email: "ann@example.com", role: .editor)
            try await database.withClient { client in
                let store = UserStore(database: client, logger: Self.logger)
                let second = try await store.issueSignInLink(brandID: brand.id, email: "ann@example.com", actor: .commandLine)
                #expect(try await store.emailForSignInLink(first) == nil)
                #expect(try await store.emailForSignInLink(second) == "ann@example.com")
                await #expect(throws: AccountError.unknownUser("bob@example.com")) {
                    try await store.issueSignInLink(brandID: brand.id, email: "bob@example.com", actor: .commandLine)
                }
            }
        }
    }

    @Test("an API key authenticates until it is revoked or expires; only its hash is stored")
    func apiKeys() async throws {
        try await withTestDatabase { database in
            try await AccountsFixture.brand(database, slug: "a")
            try await database.withClient { client in
                let store = APIKeyStore(database: client, logger: Self.logger)
                let key = try await store.create(
                    brandSlug: "a", name: "erp", scopes: [.productsRead, .sealsWrite], expiresAt: nil, actor: .commandLine)
                let authenticated = try #require(try await store.authenticate(key: key))
                #expect(authenticated.name == "erp" && authenticated.brandSlug == "a")
                #expect(authenticated.scopes == [.productsRead, .sealsWrite])
                #expect(try await store.authenticate(key: APIKeyFormat.generate()) == nil)
                #expect(try await client.scalar("SELECT count(*) FROM api_keys WHERE last_used_at IS NOT NULL", as: Int.self) == 1)
                #expect(try await client.scalar("SELECT prefix FROM api_keys", as: String.self) == APIKeyFormat.prefix(of: key))
                #expect(try await client.scalar("SELECT count(*) FROM api_keys WHERE position(convert_to(\(key), 'UTF8') IN key_hash) > 0", as: Int.self) == 0)

                await #expect(throws: AccountError.keyNameTaken("erp")) {
                    try await store.create(brandSlug: "a", name: "erp", scopes: [.productsRead], expiresAt: nil, actor: .commandLine)
                }
                try await store.revoke(brandSlug: "a", name: "erp", actor: .commandLine)
                #expect(try await store.authenticate(key: key) == nil)
                await #expect(throws: AccountError.unknownKey("erp")) {
                    try await store.revoke(brandSlug: "a", name: "erp", actor: .commandLine)
                }

                let expiring = try await store.create(
                    brandSlug: "a", name: "erp", scopes: [.productsRead], expiresAt: Date().addingTimeInterval(3600), actor: .commandLine)
                #expect(try await store.authenticate(key: expiring) != nil)
                try await client.run("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE revoked_at IS NULL")
                #expect(try await store.authenticate(key: expiring) == nil)
                await #expect(throws: AccountError.invalidExpiry) {
                    try await store.create(brandSlug: "a", name: "old", scopes: [.productsRead], expiresAt: Date().addingTimeInterval(-1), actor: .commandLine)
                }
            }
        }
    }
}
