import Crypto

/// The short signature printed in a seal's URL (`?t=`): the first 12 bytes of
/// HMAC-SHA256(brand seal key, "{gtin14}:{serial}") in unpadded base64url.
///
/// 96 bits make guessing hopeless while keeping the QR code small. Scans
/// verify it in the server, from the brand keys the catalogue holds in memory.
public enum SealToken {
    public static let byteCount = 12

    /// The token as given if it could be one (base64url, at most 64 characters), else "".
    /// Anything else is simply wrong, and must not reach SQL as text it would refuse (NUL).
    public static func plausible(_ token: String) -> String {
        token.utf8.count <= 64 && token.utf8.allSatisfy(Base64URL.isAlphabet) ? token : ""
    }

    public static func make(gtin: GTIN, serial: String, key: [UInt8]) -> String {
        make(gtin: gtin, serial: serial, key: SymmetricKey(data: key))
    }

    public static func make(gtin: GTIN, serial: String, key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(gtin.digits):\(serial)".utf8), using: key)
        return Base64URL.encode(Array(mac).prefix(byteCount))
    }

    /// Whether `token` is the seal's, compared in constant time so the time taken
    /// says nothing about how much of a guess was right. Callers without a key
    /// (an unknown GTIN) pass a throwaway one, so an unknown product costs the
    /// same HMAC as a known one.
    public static func isValid(_ token: String, gtin: GTIN, serial: String, key: SymmetricKey) -> Bool {
        let expected = make(gtin: gtin, serial: serial, key: key)
        return SecretToken.constantTimeEquals(Array(token.utf8), Array(expected.utf8))
    }
}
