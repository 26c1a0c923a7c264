import ArgumentParser
import Foundation
import SignetServer

struct Seals: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Seal batches.", subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a brand's seals as gtin,lot,serial,url for printers.")

        enum Format: String, ExpressibleByArgument { case csv }

        @OptionGroup var options: CommonOptions
        @Option(help: "The brand's slug.") var brand: String
        @Option(help: "Output format.") var format: Format = .csv

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            let brand = brand
            try await withDatabase(configuration, logger: logger) { database in
                let output = BufferedOutput()
                output.write(CSV.row(["gtin", "lot", "serial", "url"]) + "\n")
                try await SealExporter(database: database, logger: logger, publicURL: configuration.publicURL)
                    .forEachSeal(brandSlug: brand) { seal in
                        output.write(CSV.row([seal.gtin.digits, seal.lot ?? "", seal.serial, seal.url]) + "\n")
                    }
                output.flush()
            }
        }
    }
}

/// Standard output in 64 KiB writes: a million-line export stays fast.
final class BufferedOutput: @unchecked Sendable {
    private var buffer: [UInt8] = []

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
