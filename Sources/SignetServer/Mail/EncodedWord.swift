import SignetCore

/// RFC 2047 encoded words (`=?utf-8?B?...?=`): how a header carries text
/// that is not plain ASCII.
enum EncodedWord {
    /// 39 bytes become 52 base64 characters, so `Subject: ` and one word fit in 78 columns.
    static let bytesPerWord = 39

    /// The header value as it goes on the wire: the text itself when it is
    /// printable ASCII that no reader could mistake for an encoded word,
    /// otherwise encoded words on folded lines.
    static func headerValue(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let isPlain = bytes.allSatisfy { $0 >= 0x20 && $0 <= 0x7E } && !text.contains("=?") && bytes.count <= 900
        return isPlain ? text : encode(text)
    }

    /// Encoded words joined by folding whitespace, which readers drop between
    /// adjacent encoded words. A character is never split across two words,
    /// as RFC 2047 §5 requires.
    static func encode(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let scalarBytes = Array(String(scalar).utf8)
            if chunk.count + scalarBytes.count > bytesPerWord {
                words.append(word(chunk))
                chunk = []
            }
            chunk += scalarBytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?utf-8?B?" + Base64.encode(bytes) + "?="
    }
}
