/// API keys look like `sgk_` + 43 base64url characters: recognisable in a
/// config file or a secret scanner, and 256 bits of randomness.
public enum APIKeyFormat {
    public static let marker = "sgk_"
    /// Characters kept in clear (marker included) so owners can tell keys apart.
    public static let prefixLength = 12

    public static func generate() -> String {
        marker + SecretToken.generate()
    }

    /// The key from an `Authorization: Bearer …` header value, if it has the shape of one.
    public static func bearerKey(fromAuthorization header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let key = String(parts[1]).trimmingWhitespace()
        guard key.hasPrefix(marker), key.utf8.count == marker.utf8.count + 43,
              key.utf8.dropFirst(marker.utf8.count).allSatisfy(Base64URL.isAlphabet)
        else { return nil }
        return key
    }

    public static func prefix(of key: String) -> String {
        String(key.prefix(prefixLength))
    }
}
