extension DigitalLinkCompression {
    struct Element: Sendable {
        let definition: ApplicationIdentifier
        let value: String
    }

    /// A query parameter that is not an AI, carried along untouched (value as written, still encoded).
    struct OtherParameter: Sendable {
        let key: String
        let encodedValue: String
    }

    /// What a Digital Link says, whichever form it came in: AIs with valid values, each once, and the
    /// other query parameters in their order.
    struct Content {
        private(set) var elements: [Element] = []
        var otherParameters: [OtherParameter] = []
        /// The AI the URI's path names as primary key (uncompressed or partially compressed input).
        var pathPrimaryKey: String?

        /// Checks the value against the AI's format and check digit; GTIN-8, -12 and -13 become 14 digits.
        mutating func add(_ definition: ApplicationIdentifier, value: String) throws(DigitalLinkCompressionError) {
            guard !elements.contains(where: { $0.definition.code == definition.code }) else {
                throw .duplicateApplicationIdentifier(definition.code)
            }
            elements.append(Element(definition: definition, value: try validated(value, for: definition)))
        }

        /// GS1 AIs (by number or short name) join the elements; other keys stay query parameters.
        mutating func addQuery(_ query: Substring?) throws(DigitalLinkCompressionError) {
            for parameter in queryParameters(query) {
                if let definition = applicationIdentifier(named: parameter.key) {
                    try add(definition, value: percentDecoded(parameter.encodedValue))
                } else if !parameter.key.isEmpty, parameter.key.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
                    throw .unknownApplicationIdentifier(String(parameter.key))
                } else {
                    otherParameters.append(OtherParameter(key: String(parameter.key), encodedValue: String(parameter.encodedValue)))
                }
            }
        }

        /// The path's primary key; in fully compressed data, which does not record it, the best of the
        /// primary key AIs present (the others, a GMN next to a GTIN say, are data attributes, as the GS1
        /// syntax dictionary allows): one whose key qualifiers are present, then one the reference knows
        /// as a primary key, then the first in the data (sorted by the encoder, so 00 and 01 come first).
        /// The reference takes the first in JavaScript key order (414 before 01) and drops the others.
        func primaryKey() throws(DigitalLinkCompressionError) -> Element {
            if let pathPrimaryKey, let element = elements.first(where: { $0.definition.code == pathPrimaryKey }) {
                return element
            }
            let candidates = elements.enumerated().filter { $0.element.definition.role == .primaryKey }
            guard let best = candidates.min(by: isPreferredPrimaryKey) else { throw .missingPrimaryKey }
            return best.element
        }

        /// 417 and 8013 became primary keys after the reference was written; it reads them as data.
        private static let primaryKeysNewerThanReference: Set = ["417", "8013"]

        private func isPreferredPrimaryKey(
            _ left: (offset: Int, element: Element), over right: (offset: Int, element: Element)
        ) -> Bool {
            let codes = Set(elements.map(\.definition.code))
            func hasQualifiers(_ element: Element) -> Bool { element.definition.qualifiers.contains(where: codes.contains) }
            func isKnownToReference(_ element: Element) -> Bool {
                !Self.primaryKeysNewerThanReference.contains(element.definition.code)
            }
            if hasQualifiers(left.element) != hasQualifiers(right.element) { return hasQualifiers(left.element) }
            if isKnownToReference(left.element) != isKnownToReference(right.element) { return isKnownToReference(left.element) }
            return left.offset < right.offset
        }

        /// The canonical uncompressed form: primary key, then its key qualifiers in their order in the path,
        /// everything else in the query (AIs first, then the other parameters).
        func uncompressedURI(stem: String, fragment: Substring?) throws(DigitalLinkCompressionError) -> String {
            let primaryKey = try primaryKey()
            var uri = stem + "/" + primaryKey.definition.code + "/" + percentEncodedValue(primaryKey.value)
            var inPath: Set<String> = [primaryKey.definition.code]
            for qualifier in primaryKey.definition.qualifiers {
                // An empty value cannot be a path segment; it stays in the query.
                guard let element = elements.first(where: { $0.definition.code == qualifier }), !element.value.isEmpty else {
                    continue
                }
                uri += "/" + qualifier + "/" + percentEncodedValue(element.value)
                inPath.insert(qualifier)
            }
            let attributes = elements.enumerated().filter { !inPath.contains($0.element.definition.code) }
            let attributeItems = attributes.sorted(by: Self.referenceKeyOrder).map {
                $0.element.definition.code + "=" + percentEncodedValue($0.element.value)
            }
            let queryItems = attributeItems + otherParameters.map { $0.key + "=" + $0.encodedValue }
            if !queryItems.isEmpty { uri += "?" + queryItems.joined(separator: "&") }
            if let fragment { uri += "#" + fragment }
            return uri
        }

        /// The reference keeps AIs in a JavaScript object, whose keys come out as array indices first
        /// (AIs without a leading zero, numerically) and then the rest in insertion order.
        private static func referenceKeyOrder(
            _ left: (offset: Int, element: Element), _ right: (offset: Int, element: Element)
        ) -> Bool {
            let leftCode = left.element.definition.code, rightCode = right.element.definition.code
            let leftIsIndex = !leftCode.hasPrefix("0"), rightIsIndex = !rightCode.hasPrefix("0")
            guard leftIsIndex == rightIsIndex else { return leftIsIndex }
            guard leftIsIndex, let leftNumber = Int(leftCode), let rightNumber = Int(rightCode) else {
                return left.offset < right.offset
            }
            return leftNumber < rightNumber
        }
    }

    static func validated(_ value: String, for definition: ApplicationIdentifier) throws(DigitalLinkCompressionError) -> String {
        var value = value
        if definition.code == "01", [8, 12, 13].contains(value.utf8.count), value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            value = String(repeating: "0", count: 14 - value.utf8.count) + value
        }
        guard definition.accepts(value) else { throw .invalidValue(applicationIdentifier: definition.code, value: value) }
        guard definition.hasValidCheckDigit(value) else {
            throw .invalidCheckDigit(applicationIdentifier: definition.code, value: value)
        }
        return value
    }
}
