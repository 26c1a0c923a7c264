@testable import SignetCore
import Testing

@Suite("NFC secure dynamic messages")
struct SecureDynamicMessageTests {
    static let zeroKeys = SecureDynamicMessage.Keys(metaRead: .init(repeating: 0, count: 16), fileRead: .init(repeating: 0, count: 16))

    @Test("AES-CMAC gives RFC 4493's values", arguments: [
        ("", "bb1d6929e95937287fa37d129b756746"),
        ("6bc1bee22e409f96e93d7e117393172a", "070a16b46b4d4144f79bdd9dd04a287c"),
        ("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411", "dfa66747de9ae63030ca32611497c827"),
        ("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
         "51f0bebf7e3b9d92fc49741779363cfe"),
    ])
    func cmac(_ example: (message: String, mac: String)) throws {
        let key = try #require(Hex.decode("2b7e151628aed2a6abf7158809cf4f3c"))
        #expect(Hex.encode(try AES128.cmac(key: key, try #require(Hex.decode(example.message)))) == example.mac)
    }

    @Test("AN12196's encrypted example: UID, counter 8 and the file data; one altered MAC byte fails")
    func encryptedExample() {
        let macInput = Array("CEE9A53E3E463EF1F459635736738962&cmac=".utf8)
        let result = SecureDynamicMessage.verify(
            piccData: "FD91EC264309878BE6345CBE53BADF40", encryptedFileData: "CEE9A53E3E463EF1F459635736738962",
            mac: "ECC1E7F6C6C73BF6", macInput: macInput, keys: Self.zeroKeys)
        #expect(result == .success(.init(uid: Hex.decode("04958CAA5C5E80")!, counter: 8, fileData: Array("xxxxxxxxxxxxxxxx".utf8))))
        #expect(SecureDynamicMessage.verify(
            piccData: "FD91EC264309878BE6345CBE53BADF40", encryptedFileData: "CEE9A53E3E463EF1F459635736738962",
            mac: "3CC1E7F6C6C33B33", macInput: macInput, keys: Self.zeroKeys) == .failure(.badMAC))
    }

    @Test("AN12196's plain mirroring example over an empty MAC input; another MAC fails")
    func plainExample() {
        #expect(SecureDynamicMessage.verifyPlain(
            uid: "041E3C8A2D6B80", counter: "000006", mac: "4B00064004B0B3D3", macInput: [], fileReadKey: Self.zeroKeys.fileRead)
            == .success(.init(uid: Hex.decode("041E3C8A2D6B80")!, counter: 6)))
        #expect(SecureDynamicMessage.verifyPlain(
            uid: "041E3C8A2D6B80", counter: "000006", mac: "AB00064004B0B3AB", macInput: [], fileReadKey: Self.zeroKeys.fileRead)
            == .failure(.badMAC))
    }

    @Test("malformed parts and wrong keys say which check failed, never crash", arguments: [
        ("FD91EC26", nil, "ECC1E7F6C6C73BF6", SecureDynamicMessage.Failure.malformedPICCData),
        ("ZZ91EC264309878BE6345CBE53BADF40", nil, "ECC1E7F6C6C73BF6", .malformedPICCData),
        ("FD91EC264309878BE6345CBE53BADF40", "CEE9A5", "ECC1E7F6C6C73BF6", .malformedFileData),
        ("FD91EC264309878BE6345CBE53BADF40", "CEE9A53E3E463EF1F459635736738962", "ECC1E7F6", .malformedMAC),
        ("FD91EC264309878BE6345CBE53BADF40", "CEE9A53E3E463EF1F459635736738962", "ECC1E7F6C6C73BFG", .malformedMAC),
        ("00000000000000000000000000000000", nil, "ECC1E7F6C6C73BF6", .unreadablePICCData),
    ] as [(String, String?, String, SecureDynamicMessage.Failure)])
    func malformed(_ example: (picc: String, file: String?, mac: String, failure: SecureDynamicMessage.Failure)) {
        #expect(SecureDynamicMessage.verify(
            piccData: example.picc, encryptedFileData: example.file, mac: example.mac, macInput: [], keys: Self.zeroKeys)
            == .failure(example.failure))
    }

    @Test("another meta read key cannot read the UID; another file read key fails the MAC")
    func wrongKeys() {
        let macInput = Array("CEE9A53E3E463EF1F459635736738962&cmac=".utf8)
        let otherMeta = SecureDynamicMessage.Keys(metaRead: .init(repeating: 1, count: 16), fileRead: .init(repeating: 0, count: 16))
        let otherFile = SecureDynamicMessage.Keys(metaRead: .init(repeating: 0, count: 16), fileRead: .init(repeating: 1, count: 16))
        for keys in [otherMeta, otherFile] {
            let result = SecureDynamicMessage.verify(
                piccData: "FD91EC264309878BE6345CBE53BADF40", encryptedFileData: "CEE9A53E3E463EF1F459635736738962",
                mac: "ECC1E7F6C6C73BF6", macInput: macInput, keys: keys)
            #expect(result == .failure(.unreadablePICCData) || result == .failure(.badMAC))
        }
        #expect(SecureDynamicMessage.verify(
            piccData: "FD91EC264309878BE6345CBE53BADF40", encryptedFileData: nil, mac: "ECC1E7F6C6C73BF6", macInput: macInput,
            keys: otherFile) == .failure(.badMAC))
    }
}
