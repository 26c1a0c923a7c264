import ArgumentParser
import SignetServer

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending SQL migrations from db/migrations.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let configuration = try await options.configuration()
        let logger = options.logger(configuration)
        let migrations = try Migration.load(from: "\(configuration.resourcesDirectory)/db/migrations")
        let applied = try await withDatabase(configuration, logger: logger) { database in
            try await MigrationRunner(migrations: migrations, logger: logger).migrate(client: database)
        }
        print(applied.isEmpty ? "database is up to date (\(migrations.count) migrations)" : "applied: \(applied.joined(separator: ", "))")
    }
}
