import Foundation

/// Where the tests find the throwaway PostgreSQL and the project's files.
enum TestEnvironment {
    /// A superuser URL to the maintenance database; `scripts/test` exports it.
    static var adminDatabaseURL: String {
        ProcessInfo.processInfo.environment["SIGNET_TEST_DATABASE_URL"]
            ?? "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
    }

    /// The package root: templates, localization, migrations and scripts live there.
    static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // SignetServerTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
        .path
}
