extension DigitalLinkCompression {
    /// The URI-safe base 64 alphabet of the standard (RFC 4648 base64url, never padded).
    static let base64URLAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func base64URLIndex(of byte: UInt8) -> Int? {
        switch byte {
        case 0x41...0x5A: Int(byte - 0x41)
        case 0x61...0x7A: Int(byte - 0x61) + 26
        case 0x30...0x39: Int(byte - 0x30) + 52
        case 0x2D: 62
        case 0x5F: 63
        default: nil
        }
    }

    /// The bit string being compressed, most significant bit first.
    struct BitWriter {
        private(set) var bits: [Bool] = []

        var isEmpty: Bool { bits.isEmpty }

        /// Appends the low `width` bits of `value`; `value` must fit.
        mutating func append(_ value: Int, width: Int) {
            for shift in stride(from: width - 1, through: 0, by: -1) {
                bits.append((value >> shift) & 1 == 1)
            }
        }

        mutating func append(_ other: [Bool]) {
            bits.append(contentsOf: other)
        }

        /// Six bits a character, the last group padded with zero bits on the right.
        var base64URL: String {
            var characters: [UInt8] = []
            characters.reserveCapacity((bits.count + 5) / 6)
            var index = 0
            while index < bits.count {
                var sextet = 0
                for offset in 0..<6 {
                    let bit = index + offset < bits.count && bits[index + offset]
                    sextet = sextet << 1 | (bit ? 1 : 0)
                }
                characters.append(base64URLAlphabet[sextet])
                index += 6
            }
            return String(decoding: characters, as: UTF8.self)
        }
    }

    /// Reads a compressed bit string; every read past the end is an error, never a short value.
    struct BitReader {
        private let bits: [Bool]
        private(set) var position = 0

        /// `nil` when `text` has a character outside the base64url alphabet.
        init?(base64URL text: some StringProtocol) {
            var bits: [Bool] = []
            bits.reserveCapacity(text.utf8.count * 6)
            for byte in text.utf8 {
                guard let sextet = base64URLIndex(of: byte) else { return nil }
                for shift in stride(from: 5, through: 0, by: -1) {
                    bits.append((sextet >> shift) & 1 == 1)
                }
            }
            self.bits = bits
        }

        var remaining: Int { bits.count - position }

        /// The next `width` bits (at most 62) as an unsigned number.
        mutating func read(_ width: Int) throws(DigitalLinkCompressionError) -> Int {
            var value = 0
            for bit in try readBits(width) {
                value = value << 1 | (bit ? 1 : 0)
            }
            return value
        }

        mutating func readBits(_ count: Int) throws(DigitalLinkCompressionError) -> ArraySlice<Bool> {
            guard count >= 0, count <= remaining else { throw .truncatedData }
            defer { position += count }
            return bits[position..<(position + count)]
        }
    }
}
