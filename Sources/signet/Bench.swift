import ArgumentParser
import Foundation
import SignetCore
import SignetServer
import SignetTools

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark support for scripts/bench.",
        subcommands: [Load.self, SQL.self, GeoIPSpeed.self, Render.self])

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load brands, products and seals with COPY, and write the signed scan list.")

        @OptionGroup var options: CommonOptions
        @Option var brands = 3
        @Option var products = 100
        @Option var seals = 1_000_000
        @Option(help: "File receiving one signed scan path per line.") var scanList: String

        func validate() throws {
            guard brands >= 1, products >= 1, products < 100_000, seals >= 1 else {
                throw ValidationError("need at least 1 brand, 1 to 99,999 products and at least 1 seal")
            }
        }

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            let dataset = BenchmarkDataset(brands: brands, products: products, seals: seals)
            let path = scanList
            let timings = try await withDatabase(configuration, logger: logger) { database in
                try await dataset.load(database: database, logger: logger, scanListPath: path)
            }
            // Machine-readable: scripts/bench reads these lines.
            print("catalogue_seconds=\(timings.catalogue.seconds)")
            print("seal_batch_seconds=\(timings.sealBatch.seconds)")
            print("scan_list_seconds=\(timings.scanList.seconds)")
        }
    }

    struct SQL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the scan statement or the floor statement (or, with --pgbench, a pgbench script running it).")

        @Flag(help: "Print a pgbench script that runs the statement on random seals from bench_scans.") var pgbench = false
        @Flag(help: "The floor statement: the least a scan must do in the database (count the scan, log it).") var floor = false
        @Option(help: "Number of seals in bench_scans.") var seals = 1_000_000

        func run() throws {
            if pgbench {
                print(BenchmarkDataset.pgbenchScript(seals: seals, floor: floor))
            } else {
                print(floor ? BenchmarkDataset.floorStatementSQL : BenchmarkDataset.scanStatementSQL)
            }
        }
    }

    struct GeoIPSpeed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "geoip", abstract: "Measure GeoIP country lookups per second.")

        @OptionGroup var options: CommonOptions
        @Option var lookups = 2_000_000

        func validate() throws {
            guard lookups >= 1 else { throw ValidationError("--lookups must be at least 1") }
        }

        func run() async throws {
            let configuration = try await options.configuration()
            guard let path = configuration.geoIPDatabasePath else { throw ValidationError("set SIGNET_GEOIP_DB or --geoip-db") }
            let database = try GeoIPDatabase(path: path)
            var generator = SystemRandomNumberGenerator()
            let addresses = (0..<4096).map { _ in
                IPAddress(bytes: (0..<4).map { _ in UInt8.random(in: 1...223, using: &generator) })!
            }
            var found = 0
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                for index in 0..<lookups where database.countryCode(for: addresses[index & 4095]) != nil {
                    found += 1
                }
            }
            print("geoip_lookups_per_second=\(Int(Double(lookups) / elapsed.seconds))")
            print("geoip_found_ratio=\(Double(found) / Double(lookups))")
        }
    }

    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Measure rendering of a typical scan page.")

        @OptionGroup var options: CommonOptions
        @Option var iterations = 5_000

        func validate() throws {
            guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
        }

        func run() async throws {
            let configuration = try await options.configuration()
            let result = try await RenderBenchmark.run(resourcesDirectory: configuration.resourcesDirectory, iterations: iterations)
            print("render_microseconds=\(Int(result.wholeMicroseconds))")
            print("render_reused_microseconds=\(Int(result.reusedMicroseconds))")
            print("render_bytes=\(result.bytes)")
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
