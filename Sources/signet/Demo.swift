import ArgumentParser
import SignetCore
import SignetServer
import SignetTools

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Demo data.", subcommands: [Seed.self])

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the demo brand `demo` (idempotent) and print sample scan URLs.")

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            let samples = try await withDatabase(configuration, logger: logger) { database in
                try await DemoSeeder(database: database, logger: logger, resourcesDirectory: configuration.resourcesDirectory).seed()
                return try await DemoSamples.collect(
                    exporter: SealExporter(database: database, logger: logger, publicURL: configuration.publicURL),
                    database: database, logger: logger)
            }
            print(samples)
        }
    }
}
