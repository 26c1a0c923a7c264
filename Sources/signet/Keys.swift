import ArgumentParser
import Foundation
import SignetCore
import SignetServer

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "API keys for integrations.", subcommands: [Create.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key and print it; it is never shown again.")

        @OptionGroup var options: CommonOptions
        @Option(help: "The brand's slug.") var brand: String
        @Option(help: "A name to recognise the key by, unique among the brand's live keys.") var name: String
        @Option(help: "Comma-separated: \(APIKeyScope.allCases.map(\.rawValue).joined(separator: ", ")).") var scopes: String
        @Option(help: "Days until the key expires (default: never).") var expiresInDays: Int?
        @Option(help: "Comma-separated GTINs: the key sees only these products (and those of --product-types).") var products: String?
        @Option(help: "Comma-separated product type codes: the key sees only their products (and --products).") var productTypes: String?

        private var grant: ProductAccessGrant {
            ProductAccessGrant(
                productTypeCodes: Self.list(productTypes),
                gtins: Self.list(products).compactMap(GTIN.init))
        }

        private static func list(_ text: String?) -> [String] {
            (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        func validate() throws {
            if case .failure(let error) = APIKeyScope.parseList(scopes) { throw ValidationError(error.description) }
            if let expiresInDays, expiresInDays < 1 { throw ValidationError("--expires-in-days must be 1 or more") }
            if let bad = Self.list(products).first(where: { GTIN($0) == nil }) {
                throw ValidationError("\(bad) is not a GTIN (8, 12, 13 or 14 digits with a valid check digit)")
            }
        }

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            let scopes = try APIKeyScope.parseList(scopes).get()
            let expiresAt = expiresInDays.map { Date().addingTimeInterval(Double($0) * 86_400) }
            let (brand, name, grant) = (brand, name, grant)
            let key = try await reportingAccountErrors {
                try await withDatabase(configuration, logger: logger) { database in
                    try await APIKeyStore(database: database, logger: logger).create(
                        brandSlug: brand, name: name, scopes: scopes, expiresAt: expiresAt, access: grant, actor: .commandLine)
                }
            }
            print(key)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a live API key by name.")

        @OptionGroup var options: CommonOptions
        @Option(help: "The brand's slug.") var brand: String
        @Option(help: "The key's name.") var name: String

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            let (brand, name) = (brand, name)
            try await reportingAccountErrors {
                try await withDatabase(configuration, logger: logger) { database in
                    try await APIKeyStore(database: database, logger: logger).revoke(brandSlug: brand, name: name, actor: .commandLine)
                }
            }
            print("revoked \(name)")
        }
    }
}
