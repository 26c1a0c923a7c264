@testable import SignetCore
import Testing

@Suite("NFC tag key diversification")
struct TagKeyDiversificationTests {
    @Test("AN10922's AES-128 example: UID 04782E21801D80, AID 3042F5, system identifier 'NXP Abu'")
    func applicationNoteExample() throws {
        let master = try #require(Hex.decode("00112233445566778899AABBCCDDEEFF"))
        let input = try #require(Hex.decode("04782E21801D80" + "3042F5" + "4E585020416275"))
        #expect(Hex.encode(try TagKeyDiversification.diversify(master: master, input: input)).uppercased() == "A8DD63A3B89D54B37CA802473FDA9175")
    }

    @Test("file read keys differ per tag and per version; the meta read key is the brand's per version; each is the same every time")
    func distinct() throws {
        let master = try #require(Hex.decode("00112233445566778899AABBCCDDEEFF"))
        let uidA = try #require(Hex.decode("04958CAA5C5E80"))
        let uidB = try #require(Hex.decode("041E3C8A2D6B80"))
        let keys = [
            try TagKeyDiversification.fileReadKey(master: master, uid: uidA, version: 1),
            try TagKeyDiversification.fileReadKey(master: master, uid: uidB, version: 1),
            try TagKeyDiversification.fileReadKey(master: master, uid: uidA, version: 2),
            try TagKeyDiversification.metaReadKey(master: master, version: 1),
            try TagKeyDiversification.metaReadKey(master: master, version: 2),
        ]
        #expect(Set(keys.map { Hex.encode($0) }).count == 5)
        #expect(keys.allSatisfy { $0.count == 16 })
        #expect(try TagKeyDiversification.fileReadKey(master: master, uid: uidA, version: 1) == keys[0])
        #expect(try TagKeyDiversification.metaReadKey(master: master, version: 1) == keys[3])
    }
}
