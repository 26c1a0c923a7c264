import ArgumentParser
import SignetCore

/// GS1 Digital Link URI compression (GS1 Digital Link 1.2), for operators and label printers:
/// a compressed URI makes a smaller QR code.
struct DigitalLinkCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dl",
        abstract: "Compress or decompress GS1 Digital Link URIs.",
        subcommands: [Compress.self, Decompress.self])

    struct Compress: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the compressed form of a GS1 Digital Link URI.")

        @Argument(help: "An uncompressed GS1 Digital Link URI, e.g. https://scan.example/01/03760123450003/21/H00001")
        var uri: String

        @Flag(help: "Use the standard's optimisation codes for common AI sequences (shorter, same meaning).")
        var optimise = false

        @Flag(help: "Also carry query parameters that are not GS1 data attributes (such as the seal token t) inside the compressed data.")
        var compressOtherParameters = false

        func run() throws {
            do {
                print(try DigitalLinkCompression.compress(uri, options: .init(
                    usesOptimisations: optimise, compressesOtherQueryParameters: compressOtherParameters)))
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    struct Decompress: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the uncompressed form of a compressed GS1 Digital Link URI.")

        @Argument(help: "A compressed GS1 Digital Link URI, or its path.")
        var uri: String

        func run() throws {
            do {
                print(try DigitalLinkCompression.decompress(uri))
            } catch {
                throw ValidationError(error.description)
            }
        }
    }
}
