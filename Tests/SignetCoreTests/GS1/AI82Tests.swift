import Testing
import SignetCore

@Suite("AI 82 character set")
struct AI82Tests {
    /// GS1 General Specifications, figure 7.11-1: digits, letters and these 20 symbols.
    static let punctuation = "!\"%&'()*+,-./:;<=>?_"

    @Test("membership of every byte")
    func everyByte() {
        let reference = Set((Self.punctuation + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz").utf8)
        #expect(reference.count == 82)
        for byte in UInt8.min...UInt8.max {
            #expect(AI82.contains(byte) == reference.contains(byte), "byte \(byte)")
        }
    }

    @Test("validity of whole values", arguments: [
        ("A", true), ("SN-0001", true), (punctuation, true), (String(repeating: "9", count: 20), true),
        ("", false), (String(repeating: "9", count: 21), false), ("a b", false), ("é", false), ("#1", false), ("~", false),
    ] as [(String, Bool)])
    func isValid(_ value: String, _ expected: Bool) {
        #expect(AI82.isValid(value) == expected)
    }

    @Test("custom maximum length counts bytes")
    func maximumLength() {
        #expect(AI82.isValid("ABCD", maximumLength: 4))
        #expect(!AI82.isValid("ABCDE", maximumLength: 4))
        #expect(AI82.isValid("xxABCxx".dropFirst(2).dropLast(2), maximumLength: 3))
    }
}
