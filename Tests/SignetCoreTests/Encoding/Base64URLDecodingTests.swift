import SignetCore
import Testing

@Suite("Base64url decoding and page cursors")
struct Base64URLDecodingTests {
    @Test("decoding inverts encoding for every length and byte")
    func roundTrip() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(($0 * 37 + length) % 256) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    @Test("foreign characters and impossible lengths are not base64url", arguments: ["a", "ab=c", "a+bc", "abcde"])
    func invalid(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test("cursors carry their parts and refuse anything else")
    func cursors() {
        let cursor = PageCursor.encode(["1764403200000000", "42"])
        #expect(PageCursor.decode(cursor, parts: 2) == ["1764403200000000", "42"])
        #expect(PageCursor.decode(cursor, parts: 1) == nil)
        #expect(PageCursor.decode("not a cursor!", parts: 2) == nil)
    }
}
