import ArgumentParser
import Foundation
import SignetCore
import SignetServer

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Brand managers.", subcommands: [Create.self, ResetSignIn.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a portal user and print a one-time sign-in link (valid 72 h) where they choose a password.")

        @OptionGroup var options: CommonOptions
        @Option(help: "The brand's slug.") var brand: String
        @Option(help: "The user's e-mail address (their sign-in name).") var email: String
        @Option(help: "owner, editor or viewer.") var role: Role
        @Flag(help: "Read a password from standard input instead of printing a sign-in link.") var passwordStdin = false

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            var passwordHash: String?
            if passwordStdin {
                let password = readLine(strippingNewline: true) ?? ""
                if let problem = PasswordPolicy.check(password) { throw ValidationError(problem.message) }
                passwordHash = try await PasswordHasher.make().hash(password)
            }
            let (brand, email, role, hash) = (brand, email, role, passwordHash)
            let (user, token) = try await reportingAccountErrors {
                try await withDatabase(configuration, logger: logger) { database in
                    try await UserStore(database: database, logger: logger).create(
                        brandSlug: brand, email: email, role: role, passwordHash: hash, actor: .commandLine)
                }
            }
            print("user \(user.email) (\(user.role.rawValue)) of brand \(brand)")
            if let token {
                print("sign-in link, valid 72 hours, usable once: \(PortalLinks.signIn(origin: configuration.publicURL, token: token))")
            }
        }
    }

    struct ResetSignIn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-sign-in", abstract: "Print a new one-time sign-in link for a user; earlier links stop working.")

        @OptionGroup var options: CommonOptions
        @Option(help: "The brand's slug.") var brand: String
        @Option(help: "The user's e-mail address.") var email: String

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            let (brand, email) = (brand, email)
            let token = try await reportingAccountErrors {
                try await withDatabase(configuration, logger: logger) { database in
                    guard let found = try await BrandStore(database: database, logger: logger).find(slug: brand) else {
                        throw AccountError.unknownBrand(brand)
                    }
                    return try await UserStore(database: database, logger: logger).issueSignInLink(
                        brandID: found.id, email: email, actor: .commandLine)
                }
            }
            print("sign-in link, valid 72 hours, usable once: \(PortalLinks.signIn(origin: configuration.publicURL, token: token))")
        }
    }
}

extension Role: ExpressibleByArgument {}

extension PasswordPolicy.Problem {
    var message: String {
        switch self {
        case .tooShort: "the password needs at least \(PasswordPolicy.minimumCharacters) characters"
        case .tooLong: "the password may have at most \(PasswordPolicy.maximumBytes) bytes"
        }
    }
}
