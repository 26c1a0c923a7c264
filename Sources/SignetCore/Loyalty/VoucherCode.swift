/// A voucher's code: 12 characters of Crockford's base 32 (60 random bits),
/// shown as three groups of four (`7KQ2-M9XD-4TRB`) so it reads aloud and
/// types easily. Reading is forgiving the way Crockford intends: any case,
/// hyphens and spaces ignored, `O` read as `0`, `I` and `L` as `1`.
public struct VoucherCode: Sendable, Hashable, CustomStringConvertible {
    public static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    public static let length = 12

    /// The 12 characters, without separators, as stored.
    public let normalized: String

    /// A code from 8 random bytes (the first 60 bits are used).
    public init(randomBytes bytes: [UInt8]) {
        precondition(bytes.count >= 8, "a voucher code needs 60 random bits")
        var value = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var characters: [Character] = []
        for _ in 0..<Self.length {
            characters.append(Self.alphabet[Int(value & 31)])
            value >>= 5
        }
        normalized = String(characters)
    }

    /// What someone typed or read out; nil when it cannot be a code.
    public init?(reading text: String) {
        var characters: [Character] = []
        for character in text.uppercased() {
            switch character {
            case "-", " ", "\u{2010}", "\u{2011}", "\u{2013}": continue
            case "O": characters.append("0")
            case "I", "L": characters.append("1")
            default:
                guard Self.alphabet.contains(character) else { return nil }
                characters.append(character)
            }
            if characters.count > Self.length { return nil }
        }
        guard characters.count == Self.length else { return nil }
        normalized = String(characters)
    }

    /// Grouped for people: `XXXX-XXXX-XXXX`.
    public var description: String {
        let characters = Array(normalized)
        return stride(from: 0, to: characters.count, by: 4)
            .map { String(characters[$0..<min($0 + 4, characters.count)]) }
            .joined(separator: "-")
    }
}
