import Logging
import PostgresNIO
import SignetCore
import SignetServer

/// Brands and portal users created through the same stores the CLI uses.
enum AccountsFixture {
    /// bcrypt's lowest cost: the tests check behaviour, not hashing strength.
    static let passwordHashCost: UInt8 = 4
    static let password = "correct horse battery staple"

    @discardableResult
    static func brand(_ database: TestDatabase, slug: String, name: String? = nil) async throws -> BrandStore.Brand {
        try await database.withClient { client in
            try await BrandStore(database: client, logger: Logger(label: "test")).create(
                slug: slug, name: name ?? slug.capitalized, defaultLanguage: .en)
        }
    }

    /// A user with `password` already chosen.
    static func user(_ database: TestDatabase, brand: String, email: String, role: Role) async throws {
        let hash = try await PasswordHasher.make(cost: passwordHashCost).hash(password)
        _ = try await database.withClient { client in
            try await UserStore(database: client, logger: Logger(label: "test")).create(
                brandSlug: brand, email: email, role: role, passwordHash: hash, actor: .commandLine)
        }
    }

    /// A user without a password; returns the token of their one-time sign-in link.
    static func invitedUser(_ database: TestDatabase, brand: String, email: String, role: Role) async throws -> String {
        try await database.withClient { client in
            let (_, token) = try await UserStore(database: client, logger: Logger(label: "test")).create(
                brandSlug: brand, email: email, role: role, passwordHash: nil, actor: .commandLine)
            return token!
        }
    }
}
