import ArgumentParser
import Foundation
import SignetCore

struct NFC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nfc", abstract: "NFC seal tools.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: """
            Check a tap URL of an NTAG 424 DNA seal with its keys, without a database: prints the UID, the read counter, \
            the file data and the tamper status, or which check failed (and exits non-zero).
            """)

        @Option(help: "The tag's SDM meta read key (32 hexadecimal digits).") var metaKey: String
        @Option(help: "The tag's SDM file read key (32 hexadecimal digits).") var fileKey: String
        @Option(help: "The URL the tag wrote (quote it for the shell).") var url: String
        @Option(help: "The PICCData, file data and MAC parameter names, comma-separated.") var names = "e,m,c"

        func run() async throws {
            guard let meta = Hex.decode(metaKey), meta.count == 16 else { throw ValidationError("--meta-key: 32 hexadecimal digits") }
            guard let file = Hex.decode(fileKey), file.count == 16 else { throw ValidationError("--file-key: 32 hexadecimal digits") }
            let parts = names.split(separator: ",").map(String.init)
            guard parts.count == 3 else { throw ValidationError("--names: three names, e.g. e,m,c or picc_data,enc,cmac") }
            guard let question = url.firstIndex(of: "?"),
                  let parameters = SUNParameters(
                    query: url[url.index(after: question)...], names: .init(piccData: parts[0], fileData: parts[1], mac: parts[2]))
            else {
                print("failed: the URL has no \(parts[0])= (PICCData) or no \(parts[2])= (MAC) parameter")
                throw ExitCode(2)
            }
            print("MAC input: \(String(decoding: parameters.macInput, as: UTF8.self).isEmpty ? "(empty)" : String(decoding: parameters.macInput, as: UTF8.self))")
            switch SecureDynamicMessage.verify(
                piccData: parameters.piccData, encryptedFileData: parameters.encryptedFileData, mac: parameters.mac,
                macInput: parameters.macInput, keys: .init(metaRead: meta, fileRead: file))
            {
            case .success(let reading):
                print("UID: \(Hex.encode(reading.uid).uppercased())")
                print("read counter: \(reading.counter)")
                if let data = reading.fileData {
                    let text = data.allSatisfy { (0x20...0x7E).contains($0) } ? " \"\(String(decoding: data, as: UTF8.self))\"" : ""
                    print("file data: \(Hex.encode(data).uppercased())\(text)")
                    print("tamper: \(TamperStatus(fileData: data)?.rawValue ?? "no tamper status")")
                }
                print("verified")
            case .failure(let failure):
                print("failed: \(Self.explanation(failure))")
                throw ExitCode(1)
            }
        }

        static func explanation(_ failure: SecureDynamicMessage.Failure) -> String {
            switch failure {
            case .malformedPICCData: "PICCData is not 32 hexadecimal digits"
            case .unreadablePICCData: "PICCData does not decrypt to a 7-byte UID and a counter: wrong meta read key, or not PICCData"
            case .malformedFileData: "the file data is not whole 16-byte blocks in hexadecimal"
            case .malformedMAC: "the MAC is not 16 hexadecimal digits"
            case .badMAC: "the MAC does not match: wrong file read key, wrong MAC input (check the offsets), or an altered URL"
            case .badKey: "a key is not 16 bytes"
            }
        }
    }
}
