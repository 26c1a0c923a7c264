import ArgumentParser
import Logging
import PostgresNIO
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
                var samples = try await DemoSamples.collect(
                    exporter: SealExporter(database: database, logger: logger, publicURL: configuration.publicURL),
                    database: database, logger: logger)
                if let version = configuration.nfcKeys.currentVersion(brand: DemoSeeder.brandSlug) {
                    samples += "\n" + (try await Self.nfcSamples(version: version, configuration: configuration, database: database, logger: logger))
                }
                return samples
            }
            print(samples)
        }

        /// With a demo master key in SIGNET_NFC_KEYS_FILE, ten honey seals (H00391 to H00400) carry
        /// simulated NFC tags, and the next tap of two of them is printed.
        static func nfcSamples(
            version: UInt8, configuration: SignetConfiguration, database: PostgresClient, logger: Logger
        ) async throws -> String {
            try await database.query("""
                INSERT INTO nfc_tags (seal_id, brand_id, uid, key_version)
                SELECT s.id, s.brand_id, decode('04D5' || lpad(to_hex(s.id), 10, '0'), 'hex'), \(Int16(version))
                FROM seals s JOIN brands b ON b.id = s.brand_id
                WHERE b.slug = \(DemoSeeder.brandSlug) AND s.serial BETWEEN 'H00391' AND 'H00400'
                ON CONFLICT DO NOTHING
                """, logger: logger)
            func tap(_ serial: String, fileData: String? = nil) async throws -> String {
                try await NFCTapLink.make(
                    brand: DemoSeeder.brandSlug, serial: serial, gtin: nil, counter: nil, fileData: fileData.map { Array($0.utf8) },
                    configuration: configuration, database: database, logger: logger)
            }
            return """
                NFC taps (simulated tags on H00391 to H00400; `signet nfc tap --brand demo --serial H00391` makes the next):
                  NFC tap:               \(try await tap("H00391"))
                  NFC tap, seal opened:  \(try await tap("H00392", fileData: "OC"))
                  replayed: open an NFC tap URL again from another browser, or an older one
                """
        }
    }
}
