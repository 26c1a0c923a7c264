import Foundation
import Logging
import PostgresNIO
import SignetServer
import Testing

@Suite("Migrations")
struct MigrationTests {
    let logger = Logger(label: "test-migrate")

    func projectMigrations() throws -> [Migration] {
        try Migration.load(from: "\(TestEnvironment.packageRoot)/db/migrations")
    }

    @Test("the checksum is the file's SHA-256 in hex, as sha256sum prints it")
    func checksum() {
        #expect(Migration(version: "x", sql: "abc").checksum == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("apply on an empty database, then re-running is a no-op")
    func applyThenNoOp() async throws {
        let migrations = try projectMigrations()
        #expect(!migrations.isEmpty)
        try await withTestDatabase(migrated: false) { database in
            try await database.withClient { client in
                let runner = MigrationRunner(migrations: migrations, logger: logger)
                #expect(try await runner.pending(client: client).count == migrations.count)
                let applied = try await runner.migrate(client: client)
                #expect(applied == migrations.map(\.version))
                #expect(try await runner.pending(client: client).isEmpty)
                let again = try await runner.migrate(client: client)
                #expect(again.isEmpty)
                let recorded = try await client.scalar("SELECT count(*) FROM schema_migrations", as: Int.self)
                #expect(recorded == migrations.count)
                let checksum = try await client.scalar("SELECT checksum FROM schema_migrations ORDER BY version LIMIT 1", as: String.self)
                #expect(checksum == migrations[0].checksum)
                // The schema is really there: the scan's tables and partitions exist.
                let partitions = try await client.scalar(
                    "SELECT count(*) FROM pg_inherits WHERE inhparent = 'consultations'::regclass", as: Int.self)
                #expect((partitions ?? 0) >= 5)
            }
        }
    }

    @Test("an applied migration that was edited is refused, and nothing is applied")
    func editedMigrationRefused() async throws {
        let migrations = try projectMigrations()
        try await withTestDatabase(migrated: false) { database in
            try await database.withClient { client in
                try await MigrationRunner(migrations: migrations, logger: logger).migrate(client: client)
                var edited = migrations
                edited[0] = Migration(version: edited[0].version, sql: edited[0].sql + "\n-- edited\n")
                edited.append(Migration(version: "9999_later", sql: "CREATE TABLE should_not_exist (id int);"))
                let runner = MigrationRunner(migrations: edited, logger: logger)
                await #expect(throws: MigrationError.checksumMismatch(migrations[0].version)) {
                    try await runner.migrate(client: client)
                }
                let created = try await client.scalar("SELECT to_regclass('should_not_exist') IS NOT NULL", as: Bool.self)
                #expect(created == false)
            }
        }
    }

    @Test("a failing migration rolls back entirely")
    func failingMigrationRollsBack() async throws {
        try await withTestDatabase(migrated: false) { database in
            try await database.withClient { client in
                let runner = MigrationRunner(migrations: [
                    Migration(version: "0001_a", sql: "CREATE TABLE a (id int);"),
                    Migration(version: "0002_b", sql: "CREATE TABLE b (id int); SELECT * FROM missing_table;"),
                ], logger: logger)
                await #expect(throws: (any Error).self) { try await runner.migrate(client: client) }
                let tableA = try await client.scalar("SELECT to_regclass('a') IS NOT NULL", as: Bool.self)
                #expect(tableA == false)
            }
        }
    }

    @Test("a database migrated by a newer build is refused")
    func unknownAppliedMigration() async throws {
        let migrations = try projectMigrations()
        try await withTestDatabase(migrated: false) { database in
            try await database.withClient { client in
                try await MigrationRunner(migrations: migrations, logger: logger).migrate(client: client)
                let older = MigrationRunner(migrations: Array(migrations.dropLast()), logger: logger)
                await #expect(throws: MigrationError.unknownAppliedMigration(migrations.last!.version)) {
                    try await older.pending(client: client)
                }
            }
        }
    }

    @Test("concurrent migrate calls apply each file once")
    func concurrentMigrate() async throws {
        let migrations = try projectMigrations()
        try await withTestDatabase(migrated: false) { database in
            try await database.withClient { client in
                let runner = MigrationRunner(migrations: migrations, logger: logger)
                let applied = try await withThrowingTaskGroup(of: [String].self) { group in
                    for _ in 0..<3 { group.addTask { try await runner.migrate(client: client) } }
                    var all: [String] = []
                    for try await versions in group { all += versions }
                    return all
                }
                #expect(applied.sorted() == migrations.map(\.version).sorted())
            }
        }
    }

    @Test("serve refuses to start with pending migrations")
    func serveRefusesPending() async throws {
        try await withTestDatabase(migrated: false) { database in
            // Run as `signet serve` runs it: a failed start stops every service.
            let app = try await makeTestApplication(database)
            await #expect(throws: MigrationError.self) {
                try await app.runService(gracefulShutdownSignals: [])
            }
        }
    }
}
