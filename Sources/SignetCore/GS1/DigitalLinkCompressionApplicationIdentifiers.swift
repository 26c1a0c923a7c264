extension DigitalLinkCompression {
    /// What the compression needs to know about one GS1 Application Identifier: where it goes in an
    /// uncompressed URI, how its value is laid out in binary, and which values are valid.
    struct ApplicationIdentifier: Sendable {
        enum Role: Sendable {
            case primaryKey
            case keyQualifier
            case dataAttribute
        }

        enum EncodableCharacterSet: Sendable {
            /// GS1 AI encodable character set 82 (lots, serials, most text AIs).
            case set82
            /// GS1 AI encodable character set 39 (CPID, AI 8010).
            case set39

            func contains(_ byte: UInt8) -> Bool {
                switch self {
                case .set82:
                    // The reference implementation's pattern: ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z
                    (0x21...0x22).contains(byte) || (0x25...0x3F).contains(byte) || (0x41...0x5A).contains(byte)
                        || byte == 0x5F || (0x61...0x7A).contains(byte)
                case .set39:
                    byte == 0x23 || byte == 0x2D || (0x2F...0x39).contains(byte) || (0x41...0x5A).contains(byte)
                }
            }
        }

        enum CheckDigitPosition: Sendable {
            case last
            /// 1-based digit position, for keys followed by a serial component (GDTI, GCN, GRAI, ITIP).
            case digit(Int)
        }

        let code: String
        let role: Role
        /// The binary layout from the standard's format table; also the value syntax.
        let components: [ValueComponent]
        let characterSet: EncodableCharacterSet
        let checkDigit: CheckDigitPosition?
        /// Key qualifiers in the only order the path may carry them (primary keys only).
        let qualifiers: [String]
        let shortName: String?
        /// Where the syntax is narrower or wider than the binary layout alone says.
        let lengthLimits: ClosedRange<Int>?

        init(
            _ code: String, _ components: [ValueComponent], _ role: Role = .dataAttribute,
            characterSet: EncodableCharacterSet = .set82, checkDigit: CheckDigitPosition? = nil,
            qualifiers: [String] = [], shortName: String? = nil, lengthLimits: ClosedRange<Int>? = nil
        ) {
            self.code = code
            self.role = role
            self.components = components
            self.characterSet = characterSet
            self.checkDigit = checkDigit
            self.qualifiers = qualifiers
            self.shortName = shortName
            self.lengthLimits = lengthLimits
        }

        /// Whether `value` fits the format: digits where numeric, the character set where alphanumeric,
        /// fixed parts at their exact length and the variable last part within its maximum.
        func accepts(_ value: String) -> Bool {
            let bytes = Array(value.utf8)
            if let lengthLimits, !lengthLimits.contains(bytes.count) { return false }
            var cursor = 0
            for component in components {
                let end: Int
                switch component {
                case .numeric(let length), .alphanumeric(let length):
                    end = cursor + length
                    guard end <= bytes.count else { return false }
                case .variableNumeric(let maximumLength), .variableAlphanumeric(let maximumLength):
                    end = bytes.count
                    // 8007's syntax allows more than its length field in the format table; lengthLimits decides.
                    guard lengthLimits != nil || end - cursor <= maximumLength else { return false }
                }
                let part = bytes[cursor..<end]
                let isValid = component.isNumeric ? part.allSatisfy { (0x30...0x39).contains($0) } : part.allSatisfy(characterSet.contains)
                guard isValid else { return false }
                cursor = end
            }
            return cursor == bytes.count
        }

        /// Whether the GS1 mod-10 check digit (if this AI has one) is right. Call after `accepts`.
        func hasValidCheckDigit(_ value: String) -> Bool {
            guard let checkDigit else { return true }
            let digits = value.utf8.prefix { (0x30...0x39).contains($0) }.map { Int($0 - 0x30) }
            let position: Int
            switch checkDigit {
            case .last: position = digits.count
            case .digit(let index): position = index
            }
            guard position >= 1, position <= digits.count else { return false }
            var sum = 0
            for (offset, digit) in digits[0..<(position - 1)].reversed().enumerated() {
                sum += digit * (offset.isMultiple(of: 2) ? 3 : 1)
            }
            return (10 - sum % 10) % 10 == digits[position - 1]
        }
    }

    /// One part of a value's format, as in the standard's table: N = digits, X = characters.
    enum ValueComponent: Sendable, Equatable {
        /// Nn: exactly n digits, stored as one binary number, no length field.
        case numeric(length: Int)
        /// N..n: up to n digits, with a length field.
        case variableNumeric(maximumLength: Int)
        /// Xn: exactly n characters, with an encoding indicator.
        case alphanumeric(length: Int)
        /// X..n: up to n characters, with an encoding indicator and a length field.
        case variableAlphanumeric(maximumLength: Int)

        var isNumeric: Bool {
            switch self {
            case .numeric, .variableNumeric: true
            case .alphanumeric, .variableAlphanumeric: false
            }
        }
    }
}
