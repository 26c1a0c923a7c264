import Crypto

/// The short code printed under a seal's QR code beside its serial, for a consumer whose code is
/// damaged: 8 characters of Crockford's base32 (no I, L, O or U to misread), 40 bits drawn from the
/// seal's token. Only the brand's key makes it, and it gives nothing of the token away.
public enum SealCheckCode {
    public static let length = 8
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    public static func make(gtin: GTIN, serial: String, key: SymmetricKey) -> String {
        make(token: SealToken.make(gtin: gtin, serial: serial, key: key))
    }

    public static func make(gtin: GTIN, serial: String, key: [UInt8]) -> String {
        make(gtin: gtin, serial: serial, key: SymmetricKey(data: key))
    }

    static func make(token: String) -> String {
        let digest = Array(SHA256.hash(data: Array("signet check code:\(token)".utf8)))
        var bits: UInt64 = 0
        for byte in digest.prefix(5) { bits = bits << 8 | UInt64(byte) }
        var characters = [UInt8](repeating: 0, count: length)
        for index in stride(from: length - 1, through: 0, by: -1) {
            characters[index] = alphabet[Int(bits & 31)]
            bits >>= 5
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// As printed: two groups of four, `7K3M-Q9XD`.
    public static func display(_ code: String) -> String {
        String(code.prefix(4)) + "-" + String(code.dropFirst(4))
    }

    /// As a person types it: any case, spaces and hyphens ignored, O read as 0, I and L as 1;
    /// nil unless that leaves 8 characters of the alphabet.
    public static func normalized(_ typed: String) -> String? {
        var code: [UInt8] = []
        for byte in typed.uppercased().utf8 where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "-") {
            let read: UInt8 = switch byte {
            case UInt8(ascii: "O"): UInt8(ascii: "0")
            case UInt8(ascii: "I"), UInt8(ascii: "L"): UInt8(ascii: "1")
            default: byte
            }
            guard alphabet.contains(read), code.count < length else { return nil }
            code.append(read)
        }
        return code.count == length ? String(decoding: code, as: UTF8.self) : nil
    }

    /// Whether `code` (normalized) is the seal's, compared in constant time.
    public static func isValid(_ code: String, gtin: GTIN, serial: String, key: SymmetricKey) -> Bool {
        SecretToken.constantTimeEquals(Array(code.utf8), Array(make(gtin: gtin, serial: serial, key: key).utf8))
    }
}
