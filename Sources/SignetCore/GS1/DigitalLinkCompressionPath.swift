extension DigitalLinkCompression {
    /// `/{primary key AI}/{value}[/{qualifier AI}/{value}...]` at the end of a path, values still encoded.
    struct UncompressedPath {
        let primaryKeyIndex: Int
        let pairs: [(definition: ApplicationIdentifier, encodedValue: Substring)]
    }

    /// The earliest primary key segment after which the path is made only of that key's qualifiers, in
    /// order; anything before it is the caller's stem. When no candidate fits, the error names the AI that
    /// stopped the last one (the reference searches from the end).
    static func uncompressedPath(in parts: URIParts) throws(DigitalLinkCompressionError) -> UncompressedPath {
        let segments = parts.segments
        var lastError = DigitalLinkCompressionError.notADigitalLink
        for index in stride(from: parts.firstPathSegment, to: segments.count - 1, by: 1) {
            guard (segments.count - index).isMultiple(of: 2),
                let primaryKey = applicationIdentifier(named: segments[index]), primaryKey.role == .primaryKey
            else { continue }
            var pairs = [(definition: primaryKey, encodedValue: segments[index + 1])]
            var lastQualifierPosition = -1
            var keyIndex = index + 2
            while keyIndex < segments.count {
                let name = segments[keyIndex]
                guard let qualifier = applicationIdentifier(named: name),
                    let position = primaryKey.qualifiers.firstIndex(of: qualifier.code), position > lastQualifierPosition
                else { break }
                lastQualifierPosition = position
                pairs.append((qualifier, segments[keyIndex + 1]))
                keyIndex += 2
            }
            guard keyIndex < segments.count else { return UncompressedPath(primaryKeyIndex: index, pairs: pairs) }
            let name = String(segments[keyIndex])
            lastError = .qualifierNotAllowed(primaryKey: primaryKey.code, qualifier: applicationIdentifier(named: name)?.code ?? name)
        }
        throw lastError
    }

    /// Where the compressed data is: the last path segment, possibly after an uncompressed primary key.
    struct CompressedPath {
        /// Segments before this index are the caller's stem.
        let stemEnd: Int
        let uncompressedPrimaryKey: (definition: ApplicationIdentifier, encodedValue: Substring)?
        let data: Substring
    }

    /// The standard's test, as in the reference: a path that reads as an uncompressed Digital Link with
    /// a valid primary key value is uncompressed; otherwise a last segment of base64url characters is
    /// compressed data, partially compressed when a primary key AI and valid value come just before it.
    static func compressedPath(in parts: URIParts) -> CompressedPath? {
        if let path = try? uncompressedPath(in: parts), let primaryKey = path.pairs.first,
            isValid(primaryKey.encodedValue, for: primaryKey.definition)
        {
            return nil
        }
        let segments = parts.segments
        guard let last = segments.indices.last, last >= parts.firstPathSegment, !segments[last].isEmpty,
            segments[last].utf8.allSatisfy({ base64URLIndex(of: $0) != nil })
        else { return nil }
        if last - 2 >= parts.firstPathSegment, let primaryKey = applicationIdentifier(named: segments[last - 2]),
            primaryKey.role == .primaryKey, isValid(segments[last - 1], for: primaryKey)
        {
            return CompressedPath(stemEnd: last - 2, uncompressedPrimaryKey: (primaryKey, segments[last - 1]), data: segments[last])
        }
        return CompressedPath(stemEnd: last, uncompressedPrimaryKey: nil, data: segments[last])
    }

    private static func isValid(_ encodedValue: Substring, for definition: ApplicationIdentifier) -> Bool {
        guard let value = try? percentDecoded(encodedValue) else { return false }
        return (try? validated(value, for: definition)) != nil
    }
}
