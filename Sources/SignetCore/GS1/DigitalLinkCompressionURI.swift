extension DigitalLinkCompression {
    /// A URI cut where the compression cares. The path text is split at "/" with the scheme and authority
    /// still in it, so joining leading segments back with "/" gives the caller's stem exactly as written.
    struct URIParts {
        let segments: [Substring]
        /// The first segment after "scheme://authority", the first that may be part of a Digital Link path.
        let firstPathSegment: Int
        let query: Substring?
        let fragment: Substring?

        init(_ uri: String) {
            var rest = Substring(uri)
            if let hash = rest.firstIndex(of: "#") {
                fragment = rest[rest.index(after: hash)...]
                rest = rest[..<hash]
            } else {
                fragment = nil
            }
            if let questionMark = rest.firstIndex(of: "?") {
                query = rest[rest.index(after: questionMark)...]
                rest = rest[..<questionMark]
            } else {
                query = nil
            }
            // Scanner apps often append a slash; the reference ignores one.
            if rest.hasSuffix("/") { rest = rest.dropLast() }
            segments = rest.split(separator: "/", omittingEmptySubsequences: false)
            firstPathSegment = Self.hasSchemeAndAuthority(segments) ? 3 : 0
        }

        private static func hasSchemeAndAuthority(_ segments: [Substring]) -> Bool {
            guard segments.count >= 3, segments[1].isEmpty, segments[0].hasSuffix(":") else { return false }
            let scheme = segments[0].dropLast().utf8
            let isLetter: (UInt8) -> Bool = { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
            guard let first = scheme.first, isLetter(first) else { return false }
            return scheme.allSatisfy { isLetter($0) || (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }
        }

        /// Scheme, authority and any path before segment `index`, as written (empty for a bare path).
        func stem(before index: Int) -> String {
            segments[..<index].joined(separator: "/")
        }
    }

    /// A query parameter as written: key untouched, value still percent-encoded.
    struct QueryParameter {
        let key: Substring
        let encodedValue: Substring
    }

    /// `&`- or `;`-separated `key=value` pairs (a pair without `=` has an empty value; empty pairs are skipped).
    static func queryParameters(_ query: Substring?) -> [QueryParameter] {
        guard let query else { return [] }
        return query.split(whereSeparator: { $0 == "&" || $0 == ";" }).map { pair in
            guard let equals = pair.firstIndex(of: "=") else { return QueryParameter(key: pair, encodedValue: "") }
            return QueryParameter(key: pair[..<equals], encodedValue: pair[pair.index(after: equals)...])
        }
    }

    static func percentDecoded(_ text: some StringProtocol) throws(DigitalLinkCompressionError) -> String {
        let utf8 = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            guard utf8[index] == 0x25 else {
                bytes.append(utf8[index])
                index += 1
                continue
            }
            guard index + 2 < utf8.count, let high = hexadecimalValue(utf8[index + 1]), let low = hexadecimalValue(utf8[index + 2]) else {
                throw .invalidPercentEncoding(String(text))
            }
            bytes.append(high << 4 | low)
            index += 3
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw .invalidPercentEncoding(String(text)) }
        return decoded
    }

    private static func hexadecimalValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// An AI value for a path segment or query value: the reference escapes exactly these characters,
    /// the others of character sets 82 and 39 stay as they are.
    static func percentEncodedValue(_ value: String) -> String {
        percentEncoded(value) { byte in
            (0x21...0x7E).contains(byte) && !"#/%&+,!()*':;<=>?".utf8.contains(byte)
        }
    }

    /// A query value that came out of the binary form: it may hold any 7-bit character, so everything is
    /// escaped but what RFC 3986 allows in a query and no query parser splits or reads as a space
    /// (`&`, `;`, `=`, `+` are escaped).
    static func percentEncodedParameterValue(_ value: String) -> String {
        percentEncoded(value) { byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || "-._~!$'()*,:@/?".utf8.contains(byte)
        }
    }

    private static func percentEncoded(_ value: String, keeping isKept: (UInt8) -> Bool) -> String {
        let hexadecimalDigits = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        for byte in value.utf8 {
            if isKept(byte) {
                encoded.append(byte)
            } else {
                encoded += [0x25, hexadecimalDigits[Int(byte >> 4)], hexadecimalDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}
