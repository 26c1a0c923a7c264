@testable import SignetCore
import Testing

@Suite("NFC tag personalization")
struct TagPersonalizationTests {
    @Test("AN12196's example URL: PICCData at 0x20, MAC input and MAC at 0x43; the NDEF file is NLEN and one short URI record")
    func applicationNoteOffsets() throws {
        let layout = try TagPersonalization.make(link: "https://choose.url.com/ntag424").get()
        #expect(layout.urlTemplate == "https://choose.url.com/ntag424?e=00000000000000000000000000000000&c=0000000000000000")
        #expect(layout.piccDataOffset == 0x20)
        #expect(layout.macInputOffset == 0x43)
        #expect(layout.macOffset == 0x43)
        #expect(layout.encryptedFileOffset == nil)
        #expect(Array(layout.ndefFile.prefix(7)) == [0x00, 0x51, 0xD1, 0x01, 0x4D, 0x55, 0x04])
        #expect(layout.ndefFile.count == 0x51 + 2)
        // What the tag will put at each offset is what the template has there.
        #expect(Array(layout.ndefFile[layout.piccDataOffset..<(layout.piccDataOffset + 32)]) == Array(repeating: UInt8(ascii: "0"), count: 32))
        #expect(Array(layout.ndefFile[(layout.piccDataOffset - 2)..<layout.piccDataOffset]) == Array("e=".utf8))
        #expect(Array(layout.ndefFile[(layout.macOffset - 3)..<layout.macOffset]) == Array("&c=".utf8))
    }

    @Test("with 16 bytes of file data and NXP's names: the MAC input starts at the file data, whose length is 32 characters")
    func withFileData() throws {
        let layout = try TagPersonalization.make(link: "http://scan.example/01/03760123450003/21/H00021", fileDataBytes: 16,
                                                 names: .applicationNote).get()
        let file = try #require(layout.encryptedFileOffset)
        #expect(layout.encryptedFileLength == 32)
        #expect(layout.macInputOffset == file)
        #expect(Array(layout.ndefFile[(file - 4)..<file]) == Array("enc=".utf8))
        #expect(Array(layout.ndefFile[(layout.macOffset - 6)..<layout.macOffset]) == Array("&cmac=".utf8))
        #expect(layout.ndefFile[6] == 0x03, "http:// is written as its identifier code")
        // The MAC input the tag will cover is the one the server reads back.
        let query = layout.urlTemplate.split(separator: "?")[1]
        let parameters = try #require(SUNParameters(query: query, names: .applicationNote))
        #expect(parameters.macInput == Array(layout.ndefFile[layout.macInputOffset..<layout.macOffset]))
    }

    @Test("file data in part blocks and URLs past a short record are refused")
    func refused() {
        #expect(TagPersonalization.make(link: "https://a.example/x", fileDataBytes: 10) == .failure(.fileDataLength))
        #expect(TagPersonalization.make(link: "https://a.example/" + String(repeating: "x", count: 220)) == .failure(.urlTooLong))
    }
}
