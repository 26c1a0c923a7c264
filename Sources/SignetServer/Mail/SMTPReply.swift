/// One reply of an SMTP server: a three-digit code and one or more lines
/// of text (`250-first`, `250-second`, `250 last`).
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    /// The text of each line, without the code and separator.
    public let lines: [String]

    public var text: String { lines.joined(separator: " / ") }
    public var description: String { "\(code) \(text)" }

    /// EHLO's extension keywords (every line but the greeting), upper-cased: `STARTTLS`, `AUTH`, `SIZE`...
    var extensionKeywords: Set<String> {
        Set(lines.dropFirst().compactMap { $0.split(separator: " ").first.map { $0.uppercased() } })
    }

    /// The mechanisms EHLO lists after `AUTH` (or the old `AUTH=`), upper-cased.
    var authenticationMechanisms: Set<String> {
        var mechanisms: Set<String> = []
        for line in lines.dropFirst() {
            let words = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" })
            if words.first == "AUTH" { mechanisms.formUnion(words.dropFirst().map(String.init)) }
        }
        return mechanisms
    }
}

/// Joins reply lines into replies. Lines arrive one at a time because a
/// multi-line reply may span several reads.
struct SMTPReplyAssembler {
    private var code: Int?
    private var lines: [String] = []

    /// The finished reply when `line` was its last line, nil while more lines are due.
    mutating func add(_ line: [UInt8]) throws(SMTPError) -> SMTPReply? {
        let text = String(decoding: line, as: UTF8.self)
        guard line.count >= 3, line[0..<3].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              line.count == 3 || line[3] == UInt8(ascii: " ") || line[3] == UInt8(ascii: "-"),
              let lineCode = Int(String(decoding: line[0..<3], as: UTF8.self)), (200..<600).contains(lineCode)
        else { throw .malformedReply(text) }
        if let code, code != lineCode { throw .malformedReply(text) }
        code = lineCode
        lines.append(line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : "")
        guard line.count == 3 || line[3] == UInt8(ascii: " ") else { return nil }
        defer {
            code = nil
            lines = []
        }
        return SMTPReply(code: lineCode, lines: lines)
    }

    var isInsideReply: Bool { code != nil }
}
