extension DigitalLinkCompression {
    /// Longest key and value (in characters) a query parameter's 7-bit length fields can carry.
    static let otherParameterMaximumLength = 127

    /// AI keys in string order (as the reference sorts them), each followed by its value; with
    /// optimisations, the chosen codes and their AIs' values come first.
    static func appendElements(
        _ elements: [Element], usesOptimisations: Bool, to writer: inout BitWriter
    ) throws(DigitalLinkCompressionError) {
        var elementByCode: [String: Element] = [:]
        for element in elements { elementByCode[element.definition.code] = element }
        let sortedCodes = elementByCode.keys.sorted()
        let (chosen, remaining) = usesOptimisations ? chooseOptimisations(for: sortedCodes) : ([], sortedCodes)
        for optimisation in chosen {
            appendHexadecimalDigits(optimisation.code, to: &writer)
            for code in optimisation.sequence {
                guard let element = elementByCode[code] else { continue }
                try appendValue(element.value, of: element.definition, to: &writer)
            }
        }
        for code in remaining {
            guard let element = elementByCode[code] else { continue }
            appendHexadecimalDigits(code, to: &writer)
            try appendValue(element.value, of: element.definition, to: &writer)
        }
    }

    /// A query parameter that is not an AI: flag F, key length (7 bits), key in base64url, then the value
    /// like an alphanumeric AI value with a 7-bit length field.
    static func appendOtherParameter(_ parameter: OtherParameter, to writer: inout BitWriter) throws(DigitalLinkCompressionError) {
        let keyIndices = parameter.key.utf8.compactMap(base64URLIndex(of:))
        guard !keyIndices.isEmpty, keyIndices.count == parameter.key.utf8.count, keyIndices.count <= otherParameterMaximumLength else {
            throw .invalidParameterKey(parameter.key)
        }
        let value = Array(try percentDecoded(parameter.encodedValue).utf8)
        guard value.count <= otherParameterMaximumLength else { throw .valueTooLongToCompress(key: parameter.key) }
        let indicator = EncodingIndicator(for: value)
        guard let valueBits = indicator.bits(for: value) else { throw .invalidParameterValue(key: parameter.key) }
        writer.append(0xF, width: 4)
        writer.append(keyIndices.count, width: 7)
        for index in keyIndices { writer.append(index, width: 6) }
        writer.append(indicator.rawValue, width: 3)
        writer.append(value.count, width: 7)
        writer.append(valueBits)
    }

    /// AI keys and optimisation codes both go out as 4-bit hexadecimal digits.
    private static func appendHexadecimalDigits(_ code: String, to writer: inout BitWriter) {
        for character in code {
            writer.append(character.hexDigitValue ?? 0, width: 4)
        }
    }
}
