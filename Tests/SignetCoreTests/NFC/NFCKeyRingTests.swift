import SignetCore
import Testing

@Suite("NFC key ring")
struct NFCKeyRingTests {
    @Test("keys per brand and version, comments and blank lines skipped; the highest version is the current one")
    func reads() throws {
        let ring = try NFCKeyRing(text: """
            # brand version key
            demo 1 00112233445566778899AABBCCDDEEFF

            demo\t2\t8f1e00112233445566778899aabbccdd   # rotated in 2026
            other 1 000102030405060708090A0B0C0D0E0F\r
            """)
        #expect(ring.brands == ["demo", "other"])
        #expect(ring.currentVersion(brand: "demo") == 2)
        #expect(ring.master(brand: "demo", version: 1) == Hex.decode("00112233445566778899AABBCCDDEEFF"))
        #expect(ring.master(brand: "demo", version: 3) == nil)
        #expect(ring.currentVersion(brand: "nobody") == nil)
    }

    @Test("a bad line is refused with its number and what is wrong", arguments: [
        ("demo 1", 1, "expected: brand-slug version hex-key"),
        ("\ndemo 0 00112233445566778899AABBCCDDEEFF", 2, "the version is 1 to 255"),
        ("demo 256 00112233445566778899AABBCCDDEEFF", 1, "the version is 1 to 255"),
        ("demo 1 00112233", 1, "the key is 32 hexadecimal digits (AES-128)"),
        ("demo 1 0011223344556677889900AABBCCDDEEFF", 1, "the key is 32 hexadecimal digits (AES-128)"),
        ("demo 1 00112233445566778899AABBCCDDEEFF\ndemo 1 00112233445566778899AABBCCDDEEFF", 2, "demo version 1 is given twice"),
    ])
    func refuses(_ example: (text: String, line: Int, reason: String)) {
        #expect(throws: NFCKeyRing.Problem(line: example.line, reason: example.reason)) { try NFCKeyRing(text: example.text) }
    }
}
