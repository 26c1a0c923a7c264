import Testing
import SignetCore

/// An independent reference: RFC 4648 written bit by bit, then mapped to the
/// URL alphabet and stripped of padding.
private func referenceBase64URL(_ bytes: [UInt8]) -> String {
    let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    var bits: [Bool] = bytes.flatMap { byte in (0..<8).map { byte & (0x80 >> $0) != 0 } }
    while bits.count % 6 != 0 { bits.append(false) }
    var output = ""
    for start in stride(from: 0, to: bits.count, by: 6) {
        let value = bits[start..<start + 6].reduce(0) { $0 << 1 | ($1 ? 1 : 0) }
        output.append(standard[value])
    }
    return String(output.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
}

@Suite("Base64URL")
struct Base64URLTests {
    @Test("RFC 4648 §10 test vectors, unpadded", arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ] as [(String, String)])
    func rfcVectors(_ input: String, _ expected: String) {
        #expect(Base64URL.encode(Array(input.utf8)) == expected)
    }

    @Test("the URL alphabet replaces + and /", arguments: [
        ([0xFB, 0xFF], "-_8"),
        ([0xFF, 0xFF, 0xFF], "____"),
        ([0xFB, 0xEF, 0xBE], "----"),
        ([0x00, 0x00, 0x00], "AAAA"),
        ([0x00], "AA"),
        ([0xFF], "_w"),
        ([0x3E, 0xFF], "Pv8"),
    ] as [([UInt8], String)])
    func urlAlphabet(_ bytes: [UInt8], _ expected: String) {
        #expect(Base64URL.encode(bytes) == expected)
    }

    @Test("agrees with a bitwise reference for every length up to 64")
    func reference() {
        var state: UInt32 = 0x1234_5678
        for length in 0...64 {
            let bytes: [UInt8] = (0..<length).map { _ in
                state = state &* 1_664_525 &+ 1_013_904_223
                return UInt8(truncatingIfNeeded: state >> 24)
            }
            let encoded = Base64URL.encode(bytes)
            #expect(encoded == referenceBase64URL(bytes), "length \(length)")
            // Unpadded length: ceil(8n / 6).
            #expect(encoded.count == (length * 8 + 5) / 6)
            #expect(!encoded.contains("="))
        }
    }

    @Test("accepts any collection of bytes")
    func collections() {
        let bytes: [UInt8] = Array("foobar".utf8)
        #expect(Base64URL.encode(bytes[1...]) == "b29iYXI")
        #expect(Base64URL.encode("foobar".utf8) == "Zm9vYmFy")
    }
}
