extension DigitalLinkCompression {
    /// The 3-bit indicator in front of every alphanumeric value: the narrowest alphabet the whole value fits.
    enum EncodingIndicator: Int, Sendable, CaseIterable {
        /// Digits only, as one binary number (about 3.32 bits a character).
        case numeric = 0
        /// 0-9 a-f, 4 bits a character.
        case lowercaseHexadecimal = 1
        /// 0-9 A-F, 4 bits a character.
        case uppercaseHexadecimal = 2
        /// A-Z a-z 0-9 - _, 6 bits a character.
        case base64URL = 3
        /// Any 7-bit ASCII, 7 bits a character.
        case ascii = 4

        static let hexadecimalDigits = Array("0123456789ABCDEF".utf8)

        /// The reference's precedence: numeric, then uppercase hex (so "123" is numeric and "ABC" hex),
        /// lowercase hex, base64url, and ASCII for everything else, the empty value included.
        init(for value: [UInt8]) {
            let isDigit: (UInt8) -> Bool = { (0x30...0x39).contains($0) }
            let isUppercaseHex: (UInt8) -> Bool = { isDigit($0) || (0x41...0x46).contains($0) }
            let isLowercaseHex: (UInt8) -> Bool = { isDigit($0) || (0x61...0x66).contains($0) }
            if value.isEmpty {
                self = .ascii
            } else if value.allSatisfy(isDigit) {
                self = .numeric
            } else if value.allSatisfy(isUppercaseHex) {
                self = .uppercaseHexadecimal
            } else if value.allSatisfy(isLowercaseHex) {
                self = .lowercaseHexadecimal
            } else if value.allSatisfy({ base64URLIndex(of: $0) != nil }) {
                self = .base64URL
            } else {
                self = .ascii
            }
        }

        /// The characters' bits, without indicator or length; `nil` for a character beyond 7-bit ASCII.
        func bits(for value: [UInt8]) -> [Bool]? {
            var writer = BitWriter()
            switch self {
            case .numeric:
                guard let bits = DecimalBinary.bits(ofDigits: value, width: DecimalBinary.valueBitCount(digits: value.count)) else {
                    return nil
                }
                writer.append(bits)
            case .lowercaseHexadecimal, .uppercaseHexadecimal:
                for byte in value {
                    // Lowercase hex is written through its uppercase form, as the reference does.
                    let uppercased = (0x61...0x66).contains(byte) ? byte - 0x20 : byte
                    guard let index = Self.hexadecimalDigits.firstIndex(of: uppercased) else { return nil }
                    writer.append(index, width: 4)
                }
            case .base64URL:
                for byte in value {
                    guard let index = base64URLIndex(of: byte) else { return nil }
                    writer.append(index, width: 6)
                }
            case .ascii:
                for byte in value {
                    guard byte < 0x80 else { return nil }
                    writer.append(Int(byte), width: 7)
                }
            }
            return writer.bits
        }

        /// Reads `count` characters written with this indicator.
        func read(_ count: Int, from reader: inout BitReader) throws(DigitalLinkCompressionError) -> [UInt8] {
            switch self {
            case .numeric:
                let bits = try reader.readBits(DecimalBinary.valueBitCount(digits: count))
                guard let digits = DecimalBinary.digits(of: bits, digitCount: count) else { throw .numberTooLarge(digits: count) }
                return Array(digits.utf8)
            case .lowercaseHexadecimal, .uppercaseHexadecimal:
                var characters: [UInt8] = []
                for _ in 0..<count {
                    let digit = Self.hexadecimalDigits[try reader.read(4)]
                    characters.append(self == .lowercaseHexadecimal && digit >= 0x41 ? digit + 0x20 : digit)
                }
                return characters
            case .base64URL:
                var characters: [UInt8] = []
                for _ in 0..<count { characters.append(base64URLAlphabet[try reader.read(6)]) }
                return characters
            case .ascii:
                var characters: [UInt8] = []
                for _ in 0..<count { characters.append(UInt8(try reader.read(7))) }
                return characters
            }
        }
    }

    /// Writes an AI's value in the layout of its format table entry. Expects a value it `accepts`.
    static func appendValue(
        _ value: String, of definition: ApplicationIdentifier, to writer: inout BitWriter
    ) throws(DigitalLinkCompressionError) {
        let bytes = Array(value.utf8)
        var cursor = 0
        for component in definition.components {
            let part: [UInt8]
            switch component {
            case .numeric(let length), .alphanumeric(let length):
                part = Array(bytes[cursor..<min(cursor + length, bytes.count)])
            case .variableNumeric, .variableAlphanumeric:
                part = Array(bytes[cursor...])
            }
            cursor += part.count
            switch component {
            case .numeric(let length):
                guard let bits = DecimalBinary.bits(ofDigits: part, width: DecimalBinary.valueBitCount(digits: length)) else {
                    throw .invalidValue(applicationIdentifier: definition.code, value: value)
                }
                writer.append(bits)
            case .variableNumeric(let maximumLength):
                try appendLength(part.count, maximumLength: maximumLength, of: definition.code, to: &writer)
                guard let bits = EncodingIndicator.numeric.bits(for: part) else {
                    throw .invalidValue(applicationIdentifier: definition.code, value: value)
                }
                writer.append(bits)
            case .alphanumeric:
                let indicator = EncodingIndicator(for: part)
                writer.append(indicator.rawValue, width: 3)
                guard let bits = indicator.bits(for: part) else {
                    throw .invalidValue(applicationIdentifier: definition.code, value: value)
                }
                writer.append(bits)
            case .variableAlphanumeric(let maximumLength):
                let indicator = EncodingIndicator(for: part)
                writer.append(indicator.rawValue, width: 3)
                try appendLength(part.count, maximumLength: maximumLength, of: definition.code, to: &writer)
                guard let bits = indicator.bits(for: part) else {
                    throw .invalidValue(applicationIdentifier: definition.code, value: value)
                }
                writer.append(bits)
            }
        }
    }

    private static func appendLength(
        _ length: Int, maximumLength: Int, of key: String, to writer: inout BitWriter
    ) throws(DigitalLinkCompressionError) {
        let width = DecimalBinary.lengthBitCount(maximumLength: maximumLength)
        guard length < 1 << width else { throw .valueTooLongToCompress(key: key) }
        writer.append(length, width: width)
    }

    /// Reads an AI's value laid out as its format table entry says.
    static func readValue(
        of definition: ApplicationIdentifier, from reader: inout BitReader
    ) throws(DigitalLinkCompressionError) -> String {
        var value: [UInt8] = []
        for component in definition.components {
            switch component {
            case .numeric(let length):
                let bits = try reader.readBits(DecimalBinary.valueBitCount(digits: length))
                guard let digits = DecimalBinary.digits(of: bits, digitCount: length) else { throw .numberTooLarge(digits: length) }
                value += digits.utf8
            case .variableNumeric(let maximumLength):
                let length = try reader.read(DecimalBinary.lengthBitCount(maximumLength: maximumLength))
                value += try EncodingIndicator.numeric.read(length, from: &reader)
            case .alphanumeric(let length):
                let indicator = try readIndicator(from: &reader)
                value += try indicator.read(length, from: &reader)
            case .variableAlphanumeric(let maximumLength):
                let indicator = try readIndicator(from: &reader)
                let length = try reader.read(DecimalBinary.lengthBitCount(maximumLength: maximumLength))
                value += try indicator.read(length, from: &reader)
            }
        }
        return String(decoding: value, as: UTF8.self)
    }

    static func readIndicator(from reader: inout BitReader) throws(DigitalLinkCompressionError) -> EncodingIndicator {
        let rawValue = try reader.read(3)
        guard let indicator = EncodingIndicator(rawValue: rawValue) else { throw .invalidEncodingIndicator(rawValue) }
        return indicator
    }
}
