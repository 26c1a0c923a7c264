import ArgumentParser
import Foundation
import PostgresNIO
import SignetCore
import SignetServer

struct NFC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nfc", abstract: "NFC seal tools.", subcommands: [Verify.self, Personalization.self, Tap.self])

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

    struct Personalization: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: """
            Print what a packaging line writes to a seal's NTAG 424 DNA tag: the URL template, the NDEF file, the SDM offsets \
            and key numbers; with the brand's master key in SIGNET_NFC_KEYS_FILE, the keys too (the tag's own with --uid). \
            Keys are printed in clear: run it where the line's programming station can read it, and nowhere else.
            """)

        @OptionGroup var options: CommonOptions
        @Option(help: "The brand's slug.") var brand: String
        @Option(help: "The seal's serial.") var serial: String
        @Option(help: "The product's GTIN, when two products of the brand have a seal with this serial.") var gtin: String?
        @Option(help: "The tag's UID (14 hexadecimal digits), read by the line.") var uid: String?
        @Option(help: "Bytes of encrypted file data the tag mirrors (0, 16, 32…; 16 for a TagTamper status).") var fileDataBytes = 0
        @Option(help: "The PICCData, file data and MAC parameter names, comma-separated (default: the brand's).") var names: String?

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            if let names, SUNParameters.Names(list: names) == nil {
                throw ValidationError("--names: three different names, e.g. e,m,c or picc_data,enc,cmac")
            }
            let tagUID = try uid.map { text -> [UInt8] in
                guard text.utf8.count == 14, let bytes = Hex.decode(text) else { throw ValidationError("--uid: 14 hexadecimal digits") }
                return bytes
            }
            let (brand, serial, gtin) = (brand, serial, gtin)
            let seals = try await withDatabase(configuration, logger: logger) { database in
                try await database.query("""
                    SELECT p.gtin, l.code, array_to_string(b.nfc_parameters, ','), b.nfc_mac_input FROM seals s
                    JOIN products p ON p.id = s.product_id JOIN brands b ON b.id = s.brand_id LEFT JOIN lots l ON l.id = s.lot_id
                    WHERE b.slug = \(brand) AND s.serial = \(serial) AND (\(gtin)::text IS NULL OR p.gtin = \(gtin))
                    """, logger: logger).collect().map { try $0.decode((String, String?, String, String).self) }
            }
            guard let seal = seals.first else { throw ValidationError("brand \(brand) has no seal \(serial)") }
            guard seals.count == 1 else { throw ValidationError("several products of \(brand) have a seal \(serial): give --gtin") }
            let link = configuration.publicURL + DigitalLink(gtin: GTIN(seal.0)!, lot: seal.1, serial: serial).path
            let layout: TagPersonalization
            switch TagPersonalization.make(
                link: link, fileDataBytes: fileDataBytes, names: SUNParameters.Names(list: names ?? seal.2, macInputStart: .init(rawValue: seal.3) ?? .fileData) ?? SUNParameters.Names())
            {
            case .success(let made): layout = made
            case .failure(.fileDataLength): throw ValidationError("--file-data-bytes: 0 or a multiple of 16")
            case .failure(.urlTooLong): throw ValidationError("the URL does not fit a short NDEF record; use a shorter SIGNET_PUBLIC_URL")
            }
            print("URL template:        \(layout.urlTemplate)")
            print("NDEF file:           \(Hex.encode(layout.ndefFile).uppercased())")
            print("PICCDataOffset:      \(Self.offset(layout.piccDataOffset))")
            if let file = layout.encryptedFileOffset, let length = layout.encryptedFileLength {
                print("SDMENCOffset:        \(Self.offset(file))")
                print("SDMENCLength:        \(Self.offset(length))")
            }
            print("SDMMACInputOffset:   \(Self.offset(layout.macInputOffset))")
            print("SDMMACOffset:        \(Self.offset(layout.macOffset))")
            print("SDMMetaRead key:     \(TagKeyDiversification.metaReadKeyNumber)")
            print("SDMFileRead key:     \(TagKeyDiversification.fileReadKeyNumber)")
            guard let version = configuration.nfcKeys.currentVersion(brand: brand),
                  let master = configuration.nfcKeys.master(brand: brand, version: version)
            else {
                print("keys:                \(brand) has no master key in SIGNET_NFC_KEYS_FILE")
                return
            }
            print("key version:         \(version)")
            print("meta read key:       \(Hex.encode(try TagKeyDiversification.metaReadKey(master: master, version: version)).uppercased())")
            if let tagUID {
                print("file read key:       \(Hex.encode(try TagKeyDiversification.fileReadKey(master: master, uid: tagUID, version: version)).uppercased())")
            } else {
                print("file read key:       give --uid: each tag's is its own")
            }
        }

        static func offset(_ value: Int) -> String {
            let hex = String(value, radix: 16, uppercase: true)
            return "0x" + String(repeating: "0", count: max(0, 6 - hex.count)) + hex + " (\(value))"
        }
    }

    struct Tap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: """
            Print the URL a seal's registered tag writes at a read counter, made with the brand's master key in \
            SIGNET_NFC_KEYS_FILE: compare it with what a freshly programmed tag writes, or open it to try a tap.
            """)

        @OptionGroup var options: CommonOptions
        @Option(help: "The brand's slug.") var brand: String
        @Option(help: "The seal's serial.") var serial: String
        @Option(help: "The product's GTIN, when two products of the brand have a seal with this serial.") var gtin: String?
        @Option(help: "The read counter (default: one past the last accepted tap).") var counter: UInt32?
        @Option(help: "File data the tag mirrors, as text (a TagTamper seal's status: CC intact, OC opened).") var fileData: String?

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            if let counter, counter >= 1 << 24 { throw ValidationError("--counter: the tag counts in 24 bits") }
            let (brand, serial, gtin, counter, fileData) = (brand, serial, gtin, counter, fileData.map { Array($0.utf8) })
            do {
                print(try await withDatabase(configuration, logger: logger) { database in
                    try await NFCTapLink.make(
                        brand: brand, serial: serial, gtin: gtin, counter: counter, fileData: fileData, configuration: configuration,
                        database: database, logger: logger)
                })
            } catch let problem as NFCTapLink.Problem {
                throw ValidationError(problem.description)
            }
        }
    }
}
