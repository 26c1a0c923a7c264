/// The HMAC key one webhook endpoint shares with Signet.
///
/// Shown to the brand as `whsec_` + base64 of the key, the Standard Webhooks
/// serialization, so receivers can hand it to any Standard Webhooks library
/// unchanged. Its description never shows the key, so logging a value that
/// holds a secret leaks nothing.
public struct WebhookSecret: Sendable, CustomStringConvertible {
    public static let prefix = "whsec_"
    /// The specification asks for at least 192 bits and allows up to 512.
    public static let allowedByteCounts = 24...64

    public let keyBytes: [UInt8]

    public init(keyBytes: [UInt8]) throws(WebhookSecretError) {
        guard Self.allowedByteCounts.contains(keyBytes.count) else { throw .wrongLength(byteCount: keyBytes.count) }
        self.keyBytes = keyBytes
    }

    /// For keys whose length the caller has already checked.
    private init(checkedKeyBytes: [UInt8]) {
        keyBytes = checkedKeyBytes
    }

    /// Reads `whsec_<base64>` or the bare base64, as receivers' libraries do.
    public init(parsing text: some StringProtocol) throws(WebhookSecretError) {
        let encoded = text.hasPrefix(Self.prefix) ? text.dropFirst(Self.prefix.count) : text[...]
        guard !encoded.isEmpty, let bytes = Base64.decode(encoded) else { throw .notBase64 }
        try self.init(keyBytes: bytes)
    }

    /// A new key from the system's CSPRNG.
    public static func generate(byteCount: Int = 32) -> WebhookSecret {
        precondition(allowedByteCounts.contains(byteCount), "a webhook secret holds 24 to 64 bytes")
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return WebhookSecret(checkedKeyBytes: bytes)
    }

    /// The form shown once to the brand and accepted by `init(parsing:)`.
    public var serialized: String { Self.prefix + Base64.encode(keyBytes) }

    public var description: String { "\(Self.prefix)…(\(keyBytes.count) bytes, hidden)" }
}

public enum WebhookSecretError: Error, Equatable, CustomStringConvertible {
    case notBase64
    case wrongLength(byteCount: Int)

    public var description: String {
        switch self {
        case .notBase64: "a webhook secret is whsec_ followed by standard base64"
        case .wrongLength(let count): "a webhook secret holds 24 to 64 bytes, not \(count)"
        }
    }
}
