import SignetCore
import Testing

@Suite("E-mail addresses and passwords")
struct AccountInputTests {
    @Test("addresses are trimmed and lower-cased")
    func normalised() {
        #expect(EmailAddress("  Alice@Example.COM ")?.value == "alice@example.com")
    }

    @Test("addresses without exactly one @, with a side empty or with spaces are refused",
          arguments: ["", "alice", "@example.com", "alice@", "a@b@c", "al ice@example.com", String(repeating: "a", count: 250) + "@x.io"])
    func refused(raw: String) {
        #expect(EmailAddress(raw) == nil)
    }

    @Test("passwords need 12 characters and at most 72 bytes (bcrypt's limit)")
    func passwords() {
        #expect(PasswordPolicy.check("short") == .tooShort)
        #expect(PasswordPolicy.check("correct horse battery") == nil)
        #expect(PasswordPolicy.check(String(repeating: "é", count: 37)) == .tooLong)  // 74 bytes
        #expect(PasswordPolicy.check(String(repeating: "x", count: 72)) == nil)
    }
}
