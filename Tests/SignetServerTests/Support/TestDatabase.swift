import Foundation
import Logging
import PostgresNIO
import SignetServer

/// A database of its own for one test, cloned from a template migrated once
/// per test run, so tests can run in parallel without seeing each other.
struct TestDatabase: Sendable {
    let name: String
    let url: String

    /// A fresh database, migrated unless `migrated` is false.
    static func create(migrated: Bool = true) async throws -> TestDatabase {
        if migrated { try await MigratedTemplate.shared.ensure() }
        let name = "signet_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let template = migrated ? MigratedTemplate.name : "template0"
        try await withPostgresClient(TestEnvironment.adminDatabaseURL) { admin in
            try await admin.run(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) TEMPLATE \(template)"))
        }
        return TestDatabase(name: String(name), url: DatabaseURL.replacingDatabase(in: TestEnvironment.adminDatabaseURL, with: String(name)))
    }

    func drop() async throws {
        try await withPostgresClient(TestEnvironment.adminDatabaseURL) { admin in
            try await admin.run(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }

    func withClient<T: Sendable>(_ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        try await withPostgresClient(url, body)
    }
}

/// Runs `body` with a new migrated database and drops it afterwards, even on failure.
func withTestDatabase<T: Sendable>(migrated: Bool = true, _ body: @Sendable (TestDatabase) async throws -> T) async throws -> T {
    let database = try await TestDatabase.create(migrated: migrated)
    do {
        let result = try await body(database)
        try await database.drop()
        return result
    } catch {
        try? await database.drop()
        throw error
    }
}

/// The template every migrated test database is copied from.
actor MigratedTemplate {
    static let shared = MigratedTemplate()
    static let name = "signet_test_template"
    private var ready: Task<Void, any Error>?

    func ensure() async throws {
        if ready == nil { ready = Task { try await Self.build() } }
        try await ready!.value
    }

    private static func build() async throws {
        try await withPostgresClient(TestEnvironment.adminDatabaseURL) { admin in
            try await admin.run(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
            try await admin.run(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) TEMPLATE template0"))
        }
        let migrations = try Migration.load(from: "\(TestEnvironment.packageRoot)/db/migrations")
        let url = DatabaseURL.replacingDatabase(in: TestEnvironment.adminDatabaseURL, with: name)
        try await withPostgresClient(url) { client in
            try await MigrationRunner(migrations: migrations, logger: Logger(label: "test-migrate")).migrate(client: client)
        }
    }
}
