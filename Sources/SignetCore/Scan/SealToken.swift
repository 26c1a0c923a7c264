import Crypto

/// The short signature printed in a seal's URL (`?t=`): the first 12 bytes of
/// HMAC-SHA256(brand seal key, "{gtin14}:{serial}") in unpadded base64url.
///
/// 96 bits make guessing hopeless while keeping the QR code small. The scan
/// statement recomputes it with pgcrypto (`signet_seal_token`); a test checks
/// both agree.
public enum SealToken {
    public static let byteCount = 12

    /// The token as given if it could be one (base64url, at most 64 characters), else "".
    /// Anything else is simply wrong, and must not reach SQL as text it would refuse (NUL).
    public static func plausible(_ token: String) -> String {
        token.utf8.count <= 64 && token.utf8.allSatisfy(Base64URL.isAlphabet) ? token : ""
    }

    public static func make(gtin: GTIN, serial: String, key: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(gtin.digits):\(serial)".utf8), using: SymmetricKey(data: key))
        return Base64URL.encode(Array(mac).prefix(byteCount))
    }
}
