extension DigitalLinkCompression {
    /// Reads AI keys and values, optimisation codes and other query parameters until at most 8 bits are
    /// left: the reference's stop rule, since base64url padding adds up to 5 zero bits.
    static func readContent(
        from reader: inout BitReader, into content: inout Content
    ) throws(DigitalLinkCompressionError) -> [OtherParameter] {
        var otherParameters: [OtherParameter] = []
        while reader.remaining > 8 {
            let first = try reader.read(4)
            let second = try reader.read(4)
            if first <= 9, second <= 9 {
                let definition = try readApplicationIdentifier(startingWith: first, second, from: &reader)
                try content.add(definition, value: readValue(of: definition, from: &reader))
            } else if let optimisation = optimisationByCode[hexadecimal(first) + hexadecimal(second)] {
                for code in optimisation.sequence {
                    guard let definition = applicationIdentifiers[code] else { throw .unknownApplicationIdentifier(code) }
                    try content.add(definition, value: readValue(of: definition, from: &reader))
                }
            } else if first == 0xF {
                otherParameters.append(try readOtherParameter(keyLengthHighBits: second, from: &reader))
            } else {
                throw .undefinedCode(hexadecimal(first) + hexadecimal(second))
            }
        }
        return otherParameters
    }

    /// The first two digits say how many more follow (table P).
    private static func readApplicationIdentifier(
        startingWith first: Int, _ second: Int, from reader: inout BitReader
    ) throws(DigitalLinkCompressionError) -> ApplicationIdentifier {
        var code = String(first) + String(second)
        guard let length = applicationIdentifierLengthByPrefix[code] else { throw .undefinedCode(code) }
        while code.count < length {
            let digit = try reader.read(4)
            code += hexadecimal(digit)
            guard digit <= 9 else { throw .undefinedCode(code) }
        }
        guard let definition = applicationIdentifiers[code] else { throw .unknownApplicationIdentifier(code) }
        return definition
    }

    /// After the flag F: 3 more bits of the key length, the key, then the value with its indicator and 7-bit length.
    private static func readOtherParameter(
        keyLengthHighBits: Int, from reader: inout BitReader
    ) throws(DigitalLinkCompressionError) -> OtherParameter {
        let keyLength = keyLengthHighBits << 3 | (try reader.read(3))
        var key: [UInt8] = []
        for _ in 0..<keyLength { key.append(base64URLAlphabet[try reader.read(6)]) }
        guard !key.isEmpty else { throw .invalidParameterKey("") }
        let indicator = try readIndicator(from: &reader)
        let valueLength = try reader.read(7)
        let value = try indicator.read(valueLength, from: &reader)
        return OtherParameter(
            key: String(decoding: key, as: UTF8.self),
            encodedValue: percentEncodedParameterValue(String(decoding: value, as: UTF8.self))
        )
    }

    private static func hexadecimal(_ digit: Int) -> String {
        String(digit, radix: 16, uppercase: true)
    }
}
