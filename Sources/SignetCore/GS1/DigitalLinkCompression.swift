/// Compressed GS1 Digital Link URIs (GS1 Digital Link standard 1.2, "URI compression"): the AIs of a
/// link packed into a binary string and written as one base64url path segment, for smaller QR codes.
/// Writes the same bits as GS1's reference implementation (GS1DigitalLinkCompressionPrototype), whose
/// AI table this uses with the corrections listed at `applicationIdentifiers`; reads them back without
/// the reference's losses (leading zeros of numbers, AIs it has no place for in the URI).
public enum DigitalLinkCompression {
    public struct Options: Sendable, Hashable {
        /// Replaces common AI combinations (GTIN with lot, expiry, weight...) by one 8-bit code from the
        /// standard's optimisation table. Shorter, but off in the reference's own default and examples.
        public var usesOptimisations: Bool
        /// Carries query parameters that are not AIs inside the compressed data instead of in the query.
        /// Only keys of base64url characters and 7-bit ASCII values up to 127 characters can be carried.
        public var compressesOtherQueryParameters: Bool
        /// Leaves `/{primary key AI}/{value}` readable and compresses the rest after it ("partially compressed").
        public var keepsPrimaryKeyUncompressed: Bool

        public init(
            usesOptimisations: Bool = false, compressesOtherQueryParameters: Bool = false, keepsPrimaryKeyUncompressed: Bool = false
        ) {
            self.usesOptimisations = usesOptimisations
            self.compressesOtherQueryParameters = compressesOtherQueryParameters
            self.keepsPrimaryKeyUncompressed = keepsPrimaryKeyUncompressed
        }
    }

    /// `https://id.example.com/01/05412345000013/10/ABC123?17=290331` → `https://id.example.com/AQnYUc1gmiCNV4JGLo3DY`.
    /// Keeps scheme, host and any path before the primary key, the other query parameters (unless
    /// compressed) and the fragment. Accepts AIs by number or by the standard's short names (/gtin/, /lot/),
    /// GTIN-8, -12 and -13 (as GTIN-14), and rejects invalid values and check digits.
    public static func compress(_ uri: String, options: Options = Options()) throws(DigitalLinkCompressionError) -> String {
        guard !uri.isEmpty else { throw .emptyInput }
        let parts = URIParts(uri)
        let path = try uncompressedPath(in: parts)
        var content = Content()
        for pair in path.pairs {
            try content.add(pair.definition, value: percentDecoded(pair.encodedValue))
        }
        content.pathPrimaryKey = path.pairs.first?.definition.code
        try content.addQuery(parts.query)
        let primaryKey = try content.primaryKey()

        var writer = BitWriter()
        let compressedElements =
            options.keepsPrimaryKeyUncompressed
            ? content.elements.filter { $0.definition.code != primaryKey.definition.code } : content.elements
        try appendElements(compressedElements, usesOptimisations: options.usesOptimisations, to: &writer)
        if options.compressesOtherQueryParameters {
            for parameter in content.otherParameters { try appendOtherParameter(parameter, to: &writer) }
        }

        var compressed = parts.stem(before: path.primaryKeyIndex)
        if options.keepsPrimaryKeyUncompressed {
            compressed += "/" + primaryKey.definition.code + "/" + percentEncodedValue(primaryKey.value)
            if !writer.isEmpty { compressed += "/" + writer.base64URL }
        } else {
            compressed += "/" + writer.base64URL
        }
        if !options.compressesOtherQueryParameters, !content.otherParameters.isEmpty {
            compressed += "?" + content.otherParameters.map { $0.key + "=" + $0.encodedValue }.joined(separator: "&")
        }
        if let fragment = parts.fragment { compressed += "#" + fragment }
        return compressed
    }

    /// The inverse, for fully and partially compressed URIs; also takes a bare path (`/AQnYUc1gmg`).
    /// Gives the canonical uncompressed URI: the primary key, its key qualifiers in their order in the path,
    /// the other AIs in the query (in the reference's order), then the other query parameters and the fragment.
    public static func decompress(_ uri: String) throws(DigitalLinkCompressionError) -> String {
        guard !uri.isEmpty else { throw .emptyInput }
        let parts = URIParts(uri)
        guard let path = compressedPath(in: parts), var reader = BitReader(base64URL: path.data) else { throw .notCompressed }
        var content = Content()
        if let primaryKey = path.uncompressedPrimaryKey {
            try content.add(primaryKey.definition, value: percentDecoded(primaryKey.encodedValue))
            content.pathPrimaryKey = primaryKey.definition.code
        }
        let decodedParameters = try readContent(from: &reader, into: &content)
        try content.addQuery(parts.query)
        content.otherParameters += decodedParameters
        return try content.uncompressedURI(stem: parts.stem(before: path.stemEnd), fragment: parts.fragment)
    }

    /// The standard's heuristic: a path that reads as an uncompressed Digital Link (a primary key AI
    /// with a valid value, then its key qualifiers) is not compressed; otherwise a last path segment made
    /// only of base64url characters is taken as compressed. Says nothing about whether it decodes:
    /// `decompress` does.
    public static func isCompressed(_ uri: String) -> Bool {
        !uri.isEmpty && compressedPath(in: URIParts(uri)) != nil
    }
}
