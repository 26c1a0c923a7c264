import SignetCore

/// How a UTF-8 text body crosses SMTP, which only promises 7-bit lines of
/// at most 998 octets.
enum MailBodyEncoding: String, Sendable {
    case quotedPrintable = "quoted-printable"
    case base64

    /// Quoted-printable keeps French, German or Spanish text readable and small;
    /// text that is mostly non-ASCII (Greek, Cyrillic, CJK) is shorter in base64.
    static func suited(to text: [UInt8]) -> MailBodyEncoding {
        let nonASCII = text.lazy.filter { $0 >= 0x80 }.count
        return nonASCII * 3 > text.count ? .base64 : .quotedPrintable
    }

    /// `text` must already have CRLF line breaks.
    func encode(_ text: [UInt8]) -> [UInt8] {
        switch self {
        case .quotedPrintable:
            return QuotedPrintable.encode(text)
        case .base64:
            let encoded = Base64.encodedBytes(text)
            var output: [UInt8] = []
            output.reserveCapacity(encoded.count + encoded.count / 38)
            for start in stride(from: 0, to: encoded.count, by: 76) {
                if start > 0 { output += [UInt8(ascii: "\r"), UInt8(ascii: "\n")] }
                output += encoded[start..<min(start + 76, encoded.count)]
            }
            return output
        }
    }
}
