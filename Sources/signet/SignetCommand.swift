import ArgumentParser

@main
struct SignetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signet",
        abstract: "Seal-scan verification and track-and-trace server.",
        subcommands: [Serve.self, Migrate.self, Brands.self, Users.self, Keys.self, Routes.self, Demo.self, Seals.self, Stats.self, GeoIP.self, NFC.self, DigitalLinkCommands.self, Bench.self, Fuzz.self, Stream.self],
        defaultSubcommand: Serve.self)
}
