import Logging
import PostgresNIO
import SignetCore

/// Applies `db/migrations` in order, in one transaction, under an advisory lock
/// so that several instances starting together apply each file once.
public struct MigrationRunner: Sendable {
    /// Arbitrary but fixed: the advisory lock key shared by every Signet instance.
    static let lockKey: Int64 = 0x5349_474E_4554

    public let migrations: [Migration]
    public let logger: Logger

    public init(migrations: [Migration], logger: Logger) {
        self.migrations = migrations
        self.logger = logger
    }

    /// Migrations not yet applied; throws if the database disagrees with the files.
    public func pending(client: PostgresClient) async throws -> [Migration] {
        try await client.withConnection { connection in
            let applied = try await appliedChecksums(connection)
            return try plan(applied: applied)
        }
    }

    /// Applies what is pending; returns the versions applied.
    @discardableResult
    public func migrate(client: PostgresClient) async throws -> [String] {
        try await client.transaction(logger: logger) { connection in
            // A migration may legitimately run for minutes.
            try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    text PRIMARY KEY,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger: logger)
            let pending = try plan(applied: try await appliedChecksums(connection))
            for migration in pending {
                logger.info("applying migration", metadata: ["version": "\(migration.version)"])
                for statement in SQLScript.statements(in: migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, checksum) VALUES (\(migration.version), \(migration.checksum))",
                    logger: logger)
            }
            return pending.map(\.version)
        }
    }

    func plan(applied: [String: String]) throws(MigrationError) -> [Migration] {
        let known = Set(migrations.map(\.version))
        if let unknown = applied.keys.sorted().first(where: { !known.contains($0) }) {
            throw .unknownAppliedMigration(unknown)
        }
        var pending: [Migration] = []
        for migration in migrations {
            if let checksum = applied[migration.version] {
                guard checksum == migration.checksum else { throw .checksumMismatch(migration.version) }
            } else {
                pending.append(migration)
            }
        }
        return pending
    }

    private func appliedChecksums(_ connection: PostgresConnection) async throws -> [String: String] {
        let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
            .collect().first?.decode(Bool.self) ?? false
        guard exists else { return [:] }
        var applied: [String: String] = [:]
        for try await (version, checksum) in try await connection.query(
            "SELECT version, checksum FROM schema_migrations", logger: logger
        ).decode((String, String).self) {
            applied[version] = checksum
        }
        return applied
    }
}

public enum MigrationError: Error, Equatable, CustomStringConvertible {
    /// An applied file was edited: its effects and its text no longer agree.
    case checksumMismatch(String)
    /// The database was migrated by a newer build than this one.
    case unknownAppliedMigration(String)
    case pendingMigrations([String])

    public var description: String {
        switch self {
        case .checksumMismatch(let version):
            "migration \(version) was changed after it was applied; restore the file and add a new migration instead"
        case .unknownAppliedMigration(let version):
            "the database has migration \(version), which this build does not know; deploy a build that has it"
        case .pendingMigrations(let versions):
            "pending migrations: \(versions.joined(separator: ", ")); run `signet migrate` or start with `serve --migrate`"
        }
    }
}
