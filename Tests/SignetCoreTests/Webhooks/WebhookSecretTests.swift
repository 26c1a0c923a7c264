import SignetCore
import Testing

@Suite("Webhook secrets")
struct WebhookSecretTests {
    @Test("a generated secret is whsec_ and base64 of 32 random bytes, and parses back")
    func generated() throws {
        let secret = WebhookSecret.generate()
        #expect(secret.keyBytes.count == 32)
        #expect(secret.serialized.hasPrefix("whsec_"))
        #expect(try WebhookSecret(parsing: secret.serialized).keyBytes == secret.keyBytes)
        #expect(WebhookSecret.generate().keyBytes != secret.keyBytes)
        #expect(WebhookSecret.generate(byteCount: 24).serialized.count == "whsec_".count + 32)
    }

    @Test("the prefix is optional")
    func prefixOptional() throws {
        let withPrefix = try WebhookSecret(parsing: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let bare = try WebhookSecret(parsing: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        #expect(withPrefix.keyBytes == bare.keyBytes)
        #expect(bare.keyBytes.count == 24)
    }

    @Test("not base64, too short or too long is refused", arguments: [
        ("", WebhookSecretError.notBase64),
        ("whsec_", .notBase64),
        ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La-aSw", .notBase64), // base64url is another alphabet
        ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La LaSw", .notBase64),
        ("whsec_c2hvcnQ=", .wrongLength(byteCount: 5)),
        ("whsec_" + String(repeating: "A", count: 88), .wrongLength(byteCount: 66)),
    ] as [(String, WebhookSecretError)])
    func refused(_ text: String, _ error: WebhookSecretError) {
        #expect(throws: error) { try WebhookSecret(parsing: text) }
    }

    @Test("printing a secret does not show the key")
    func hidden() {
        let secret = WebhookSecret.generate()
        #expect(!"\(secret)".contains(String(secret.serialized.dropFirst(6).prefix(8))))
    }
}
