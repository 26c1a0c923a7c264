import Foundation
import SignetCore
import Testing

@Suite("Base64 (standard alphabet)")
struct Base64Tests {
    @Test("RFC 4648 test vectors", arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ] as [(String, String)])
    func vectors(_ plain: String, _ encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test("agrees with Foundation for every length and byte, both ways")
    func agreesWithFoundation() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(($0 * 53 + length * 7) % 256) }
            let foundation = Data(bytes).base64EncodedString()
            #expect(Base64.encode(bytes) == foundation)
            #expect(Base64.decode(foundation) == bytes)
        }
    }

    @Test("unpadded input is accepted")
    func unpadded() {
        #expect(Base64.decode("Zg") == Array("f".utf8))
        #expect(Base64.decode("Zm8") == Array("fo".utf8))
    }

    @Test("foreign characters, misplaced padding and impossible lengths are refused",
          arguments: ["Z", "Zg=", "Z===", "Zm=9v", "=Zm9", "Zm9v-_", "Zm 9v", "Zm9vY", "Zg==="])
    func invalid(text: String) {
        #expect(Base64.decode(text) == nil)
    }
}
