import ArgumentParser
import Foundation
import SignetCore
import SignetServer

struct Seals: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Seal batches.", subcommands: [Create.self, Export.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a batch of seals with random serials for a product, with a progress bar; prints the batch id.")

        @OptionGroup var options: CommonOptions
        @Option(help: "The brand's slug.") var brand: String
        @Option(help: "The product's GTIN.") var gtin: String
        @Option(help: "How many seals (1 to 5,000,000).") var count: Int
        @Option(help: "A lot code of the product the seals belong to.") var lot: String?
        @Option(help: "Serial length, 8 to 20 characters.") var length = 10
        @Option(help: "pending or active.") var status = "pending"
        @Option(help: "Intended markets, comma-separated country codes (default: anywhere).") var markets = ""

        func validate() throws {
            guard GTIN(gtin) != nil else { throw ValidationError("--gtin: not a GTIN (8, 12, 13 or 14 digits, check digit)") }
            guard (1...SealBatchStore.maximumQuantity).contains(count) else { throw ValidationError("--count must be 1 to 5,000,000") }
            guard SerialGenerator(length: length) != nil else { throw ValidationError("--length must be 8 to 20") }
            guard status == "pending" || status == "active" else { throw ValidationError("--status must be pending or active") }
            if let lot, !AI82.isValid(lot) { throw ValidationError("--lot: 1 to 20 characters of GS1 character set 82") }
            if case .failure(let error) = CountryCode.parseList(markets) { throw ValidationError("--markets: \"\(error.text)\" is not a country code") }
        }

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            let batch = SealBatchStore.NewBatch(
                gtin: GTIN(gtin)!, lotCode: lot, quantity: count, serialLength: length,
                initialStatus: SealStatus(rawValue: status)!, markets: try CountryCode.parseList(markets).get())
            let brand = brand
            let bar = ProgressBar()
            let batchID = try await withDatabase(configuration, logger: logger) { database in
                guard let found = try await BrandStore(database: database, logger: logger).find(slug: brand) else {
                    throw ValidationError(AccountError.unknownBrand(brand).description)
                }
                do {
                    return try await SealBatchCommand(database: database, logger: logger).run(brandID: found.id, batch: batch) { done, total in
                        bar.show(done: done, total: total)
                    }
                } catch let problem as SealBatchProblem {
                    throw ValidationError(problem == .unknownLot ? "the product has no lot \(batch.lotCode ?? "")" : "brand \(brand) has no product \(batch.gtin.digits)")
                }
            }
            bar.finish()
            print(batchID)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a brand's seals as gtin,lot,serial,url,check_code for printers.")

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
                output.write(CSVRecord.line(["gtin", "lot", "serial", "url", "check_code"]) + "\n")
                try await SealExporter(database: database, logger: logger, publicURL: configuration.publicURL)
                    .forEachSeal(brandSlug: brand) { seal in
                        output.write(CSVRecord.line([seal.gtin.digits, seal.lot ?? "", seal.serial, seal.url, seal.checkCode]) + "\n")
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
