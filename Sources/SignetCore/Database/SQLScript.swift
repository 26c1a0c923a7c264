/// Splits a PostgreSQL script into statements at top-level semicolons.
///
/// The extended query protocol runs one statement at a time, so a migration
/// file is cut here. Quotes, `E'...'` escapes, quoted identifiers,
/// dollar-quoted bodies (`$$`, `$fn$`) and both comment styles are respected.
public enum SQLScript {
    public static func statements(in script: String) -> [String] {
        let bytes = Array(script.utf8)
        var statements: [String] = []
        var start = 0
        var index = 0

        func flush(upTo end: Int) {
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            if !isBlank(text) { statements.append(text.trimmingWhitespace()) }
        }

        while index < bytes.count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            switch byte {
            case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                var depth = 0
                repeat {
                    if bytes[index] == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                        depth += 1; index += 2
                    } else if bytes[index] == UInt8(ascii: "*"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                        depth -= 1; index += 2
                    } else {
                        index += 1
                    }
                } while depth > 0 && index < bytes.count
                continue
            case UInt8(ascii: "'"):
                // E'...' only when the E is a token of its own, not the end of a word such as ELSE.
                let escapes = index > 0 && (bytes[index - 1] == UInt8(ascii: "E") || bytes[index - 1] == UInt8(ascii: "e"))
                    && (index < 2 || !isIdentifier(bytes[index - 2]))
                index = skipQuoted(bytes, from: index, quote: UInt8(ascii: "'"), backslashEscapes: escapes)
                continue
            case UInt8(ascii: "\""):
                index = skipQuoted(bytes, from: index, quote: UInt8(ascii: "\""), backslashEscapes: false)
                continue
            case UInt8(ascii: "$"):
                if let tagEnd = dollarTagEnd(bytes, from: index) {
                    let tag = Array(bytes[index...tagEnd])
                    index = tagEnd + 1
                    while index < bytes.count, !bytes[index...].starts(with: tag) { index += 1 }
                    index = min(bytes.count, index + tag.count)
                    continue
                }
            case UInt8(ascii: ";"):
                flush(upTo: index)
                start = index + 1
            default:
                break
            }
            index += 1
        }
        flush(upTo: bytes.count)
        return statements
    }

    private static func skipQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < bytes.count {
            if backslashEscapes, bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == quote {
                // A doubled quote is an escaped quote, not the end.
                if index + 1 < bytes.count, bytes[index + 1] == quote { index += 2; continue }
                return index + 1
            }
            index += 1
        }
        return index
    }

    /// `$tag$` opens a dollar-quoted string when tag is empty or an identifier
    /// not starting with a digit (`$1` is a parameter). Returns the closing `$` index.
    private static func dollarTagEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        if start > 0, isIdentifier(bytes[start - 1]) { return nil }
        var index = start + 1
        if index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { return nil }
        while index < bytes.count, isIdentifier(bytes[index]) { index += 1 }
        return index < bytes.count && bytes[index] == UInt8(ascii: "$") ? index : nil
    }

    private static func isIdentifier(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    /// True when the text holds only whitespace and comments.
    private static func isBlank(_ text: String) -> Bool {
        var remaining = Substring(text)
        while true {
            remaining = remaining.drop(while: { $0.isWhitespace })
            if remaining.hasPrefix("--") {
                remaining = remaining.drop(while: { $0 != "\n" })
            } else if remaining.hasPrefix("/*") {
                // Block comments nest in PostgreSQL.
                var depth = 0
                repeat {
                    if remaining.hasPrefix("/*") { depth += 1; remaining = remaining.dropFirst(2) }
                    else if remaining.hasPrefix("*/") { depth -= 1; remaining = remaining.dropFirst(2) }
                    else { remaining = remaining.dropFirst() }
                } while depth > 0 && !remaining.isEmpty
                if depth > 0 { return false }
            } else {
                return remaining.isEmpty
            }
        }
    }
}
