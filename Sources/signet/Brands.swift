import ArgumentParser
import SignetCore
import SignetServer

struct Brands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Brands.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a brand with a new seal key and print it.")

        @OptionGroup var options: CommonOptions
        @Option(help: "URL name: lower-case letters, digits and hyphens.") var slug: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Language of the brand's pages when a product names none (en, fr, de, es).")
        var defaultLanguage: Language = .en

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            let (slug, name, language) = (slug, name, defaultLanguage)
            let brand = try await reportingAccountErrors {
                try await withDatabase(configuration, logger: logger) { database in
                    try await BrandStore(database: database, logger: logger).create(slug: slug, name: name, defaultLanguage: language)
                }
            }
            print("brand \(brand.slug) (id \(brand.id)): \(brand.name), default language \(brand.defaultLanguage.rawValue)")
        }
    }
}

extension Language: ExpressibleByArgument {}

/// Turns a refusal such as "brand exists" into a plain error message and exit code 1, not a stack of types.
func reportingAccountErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as AccountError {
        throw ValidationError(error.description)
    }
}
