@testable import SignetCore
import Testing

@Suite("NFC tap verification")
struct TapVerificationTests {
    static let uid: [UInt8] = [0x04, 0x1E, 0x3C, 0x8A, 0x2D, 0x6B, 0x80]
    static let masterV1: [UInt8] = Array(0..<16)
    static let masterV2: [UInt8] = Array(100..<116)

    static func keys(master: [UInt8], version: UInt8, uid: [UInt8] = uid) throws -> SecureDynamicMessage.Keys {
        .init(metaRead: try TagKeyDiversification.metaReadKey(master: master, version: version),
              fileRead: try TagKeyDiversification.fileReadKey(master: master, uid: uid, version: version))
    }

    static func parameters(_ query: String) throws -> SUNParameters {
        try #require(SUNParameters(query: Substring(query)) ?? SUNParameters(query: Substring(query), names: .applicationNote))
    }

    @Test("a simulated tap writes AN12196's example exactly (all keys zero): the file data and the MAC")
    func applicationNoteExample() throws {
        let zero = SecureDynamicMessage.Keys(metaRead: .init(repeating: 0, count: 16), fileRead: .init(repeating: 0, count: 16))
        let query = try SimulatedTap.query(
            uid: try #require(Hex.decode("04958CAA5C5E80")), counter: 8, fileData: Array("xxxxxxxxxxxxxxxx".utf8), keys: zero,
            names: .applicationNote)
        #expect(query.hasSuffix("&enc=CEE9A53E3E463EF1F459635736738962&cmac=ECC1E7F6C6C73BF6"))
        let parameters = try Self.parameters(query)
        let reading = SecureDynamicMessage.verify(
            piccData: parameters.piccData, encryptedFileData: parameters.encryptedFileData, mac: parameters.mac,
            macInput: parameters.macInput, keys: zero)
        #expect(reading == .success(.init(uid: try #require(Hex.decode("04958CAA5C5E80")), counter: 8, fileData: Array("xxxxxxxxxxxxxxxx".utf8))))
    }

    @Test("a tap is verified with the version of the master key it was programmed with, and the tamper status read")
    func versions() throws {
        let masters: [(version: UInt8, key: [UInt8])] = [(1, Self.masterV1), (2, Self.masterV2)]
        for version: UInt8 in [1, 2] {
            let master = version == 1 ? Self.masterV1 : Self.masterV2
            let query = try SimulatedTap.query(
                uid: Self.uid, counter: 41, fileData: Array("OC".utf8), keys: try Self.keys(master: master, version: version))
            let tap = try TapVerification.verify(Self.parameters(query), masters: masters).get()
            #expect(tap == .init(uid: Self.uid, counter: 41, keyVersion: version, tamper: .opened))
        }
        let intact = try SimulatedTap.query(
            uid: Self.uid, counter: 7, fileData: Array("CC".utf8), keys: try Self.keys(master: Self.masterV1, version: 1))
        #expect(try TapVerification.verify(Self.parameters(intact), masters: masters).get().tamper == .intact)
        let plain = try SimulatedTap.query(uid: Self.uid, counter: 7, keys: try Self.keys(master: Self.masterV1, version: 1))
        #expect(try TapVerification.verify(Self.parameters(plain), masters: masters).get().tamper == nil)
    }

    @Test("another brand's keys, another tag's file key, an altered MAC or file data, or bad hex: each fails with its reason")
    func failures() throws {
        let masters: [(version: UInt8, key: [UInt8])] = [(1, Self.masterV1)]
        let good = try SimulatedTap.query(
            uid: Self.uid, counter: 3, fileData: Array("CC".utf8), keys: try Self.keys(master: Self.masterV1, version: 1))
        #expect(try TapVerification.verify(Self.parameters(good), masters: [(1, Self.masterV2)]) == .failure(.unreadablePICCData))
        #expect(try TapVerification.verify(Self.parameters(good), masters: []) == .failure(.badKey))
        // A tag programmed with another UID's file key: PICCData reads, the MAC does not match.
        let cloned = try SimulatedTap.query(
            uid: Self.uid, counter: 3, keys: .init(
                metaRead: try TagKeyDiversification.metaReadKey(master: Self.masterV1, version: 1),
                fileRead: try TagKeyDiversification.fileReadKey(master: Self.masterV1, uid: [4, 1, 1, 1, 1, 1, 1], version: 1)))
        #expect(try TapVerification.verify(Self.parameters(cloned), masters: masters) == .failure(.badMAC))
        let lastMACDigit = good.index(before: good.endIndex)
        let alteredMAC = good[..<lastMACDigit] + (good[lastMACDigit] == "0" ? "1" : "0")
        #expect(try TapVerification.verify(Self.parameters(String(alteredMAC)), masters: masters) == .failure(.badMAC))
        // The MAC covers the file data as written.
        let fileStart = try #require(good.range(of: "&m=")).upperBound
        let alteredFile = good.replacingCharacters(in: fileStart...fileStart, with: good[fileStart] == "0" ? "1" : "0")
        #expect(try TapVerification.verify(Self.parameters(alteredFile), masters: masters) == .failure(.badMAC))
        #expect(try TapVerification.verify(Self.parameters("e=XYZ&c=0011223344556677"), masters: masters) == .failure(.malformedPICCData))
        let shortMAC = good.replacingOccurrences(of: "&c=", with: "&c=00&x=")
        #expect(try TapVerification.verify(Self.parameters(shortMAC), masters: masters) == .failure(.malformedMAC))
    }

    @Test("a brand whose MAC input starts at PICCData: its taps verify, read that way only; the personalization's offset agrees")
    func macInputFromPICCData() throws {
        let masters: [(version: UInt8, key: [UInt8])] = [(1, Self.masterV1)]
        let keys = try Self.keys(master: Self.masterV1, version: 1)
        let fromPICC = SUNParameters.Names(macInputStart: .piccData)
        for fileData in [nil, Array("CC".utf8)] {
            let query = try SimulatedTap.query(uid: Self.uid, counter: 9, fileData: fileData, keys: keys, names: fromPICC)
            let parameters = try #require(SUNParameters(query: Substring(query), names: fromPICC))
            #expect(String(decoding: parameters.macInput, as: UTF8.self) == String(query.dropFirst(2).dropLast(16)))
            #expect(try TapVerification.verify(parameters, masters: masters).get().counter == 9)
            // Read as the note's default, the same URL's MAC covers other bytes.
            #expect(TapVerification.verify(try #require(SUNParameters(query: Substring(query))), masters: masters) == .failure(.badMAC))
        }
        let layout = try TagPersonalization.make(link: "https://s.example/01/03760123450003/21/A1", fileDataBytes: 16, names: fromPICC).get()
        #expect(layout.macInputOffset == layout.piccDataOffset)
    }

    @Test("file data added after the MAC is not covered by it, so it is ignored: no tamper status can be forged onto a plain tap")
    func fileDataOutsideTheMAC() throws {
        let plain = try SimulatedTap.query(uid: Self.uid, counter: 12, keys: try Self.keys(master: Self.masterV1, version: 1))
        for forged in [plain + "&m=" + String(repeating: "A", count: 32), plain + "&m=ZZ"] {
            let parameters = try Self.parameters(forged)
            #expect(parameters.encryptedFileData == nil && parameters.macInput.isEmpty)
            #expect(try TapVerification.verify(parameters, masters: [(1, Self.masterV1)]).get().tamper == nil)
        }
    }
}
