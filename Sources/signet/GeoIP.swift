import ArgumentParser
import SignetCore
import SignetServer

struct GeoIP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "geoip", abstract: "GeoIP database tools.", subcommands: [Lookup.self])

    struct Lookup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the country code of an IP address (or 'unknown').")

        @OptionGroup var options: CommonOptions
        @Argument(help: "IPv4 or IPv6 address.") var address: String

        func run() async throws {
            let configuration = try await options.configuration()
            guard let ip = IPAddress(address) else { throw ValidationError("not an IP address: \(address)") }
            guard let path = configuration.geoIPDatabasePath else { throw ValidationError("set SIGNET_GEOIP_DB or --geoip-db") }
            let database = try GeoIPDatabase(path: path)
            print(database.countryCode(for: ip) ?? CountryResolver.unknown)
        }
    }
}
