/// The check EPCIS applies to event IDs, business transactions and user
/// vocabulary: an absolute URI (RFC 3986 scheme, then anything), such as
/// `urn:uuid:…`, `ni:///sha-256;…` or `https://…`. Non-ASCII is let through
/// because JSON-LD identifiers are IRIs.
enum AbsoluteURI {
    static func isValid(_ text: some StringProtocol) -> Bool {
        let bytes = text.utf8
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let scheme = bytes[..<colon]
        guard let first = scheme.first, isLetter(first),
              scheme.allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }),
              bytes.index(after: colon) != bytes.endIndex
        else { return false }
        // Spaces, controls and the characters RFC 3986 never allows unescaped.
        return bytes.allSatisfy { $0 > 0x20 && $0 != 0x7F && !"\"<>\\^`{|}".utf8.contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
