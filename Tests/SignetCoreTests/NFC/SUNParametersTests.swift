@testable import SignetCore
import Testing

@Suite("NFC tap URL parameters")
struct SUNParametersTests {
    @Test("with file data, the MAC input runs from the file data's first character to the MAC's '='")
    func withFileData() throws {
        let query = "picc_data=FD91EC264309878BE6345CBE53BADF40&enc=CEE9A53E3E463EF1F459635736738962&cmac=ECC1E7F6C6C73BF6"
        let parameters = try #require(SUNParameters(query: query[...], names: .applicationNote))
        #expect(parameters.piccData == "FD91EC264309878BE6345CBE53BADF40")
        #expect(parameters.encryptedFileData == "CEE9A53E3E463EF1F459635736738962")
        #expect(parameters.mac == "ECC1E7F6C6C73BF6")
        #expect(String(decoding: parameters.macInput, as: UTF8.self) == "CEE9A53E3E463EF1F459635736738962&cmac=")
        let reading = SecureDynamicMessage.verify(
            piccData: parameters.piccData, encryptedFileData: parameters.encryptedFileData, mac: parameters.mac,
            macInput: parameters.macInput, keys: SecureDynamicMessageTests.zeroKeys)
        #expect((try? reading.get())?.counter == 8)
    }

    @Test("without file data the MAC input is empty; other parameters are ignored; a missing MAC or PICCData is nil")
    func defaults() throws {
        let parameters = try #require(SUNParameters(query: "t=x&e=00112233445566778899AABBCCDDEEFF&c=0011223344556677&lang=fr"[...]))
        #expect(parameters.piccData == "00112233445566778899AABBCCDDEEFF" && parameters.encryptedFileData == nil)
        #expect(parameters.macInput.isEmpty)
        #expect(SUNParameters(query: "e=00112233445566778899AABBCCDDEEFF"[...]) == nil)
        #expect(SUNParameters(query: "c=0011223344556677"[...]) == nil)
        #expect(SUNParameters(query: ""[...]) == nil)
        #expect(SUNParameters(query: "&&=&e&c"[...]) == nil)
    }

    @Test("a tamper status at the start of the file data: CC intact, a leading O opened, anything else none")
    func tamper() {
        #expect(TamperStatus(fileData: Array("CCxxxxxxxxxxxxxx".utf8)) == .intact)
        #expect(TamperStatus(fileData: Array("OCxxxxxxxxxxxxxx".utf8)) == .opened)
        #expect(TamperStatus(fileData: Array("OO".utf8)) == .opened)
        #expect(TamperStatus(fileData: Array("xxxxxxxxxxxxxxxx".utf8)) == nil)
        #expect(TamperStatus(fileData: [0x43]) == nil)
    }

    @Test("a brand's parameter names: three different URL-safe names, none of Signet's own", arguments: [
        ("e,m,c", "e,m,c"), (" picc_data , enc, cmac ", "picc_data,enc,cmac"), ("u.1,f-2,SIG_3", "u.1,f-2,SIG_3"),
        ("e,m", nil), ("e,m,c,d", nil), ("e,e,c", nil), ("t,m,c", nil), ("e,lang,c", nil), ("e,m,c d", nil), ("e,m,", nil),
        ("e,m,c&x", nil), ("é,m,c", nil), ("e,m," + String(repeating: "x", count: 33), nil),
    ] as [(String, String?)])
    func brandNames(_ typed: String, _ list: String?) {
        #expect(SUNParameters.Names(list: typed)?.list == list)
    }
}
