/// RFC 2045 §6.7 quoted-printable, for text bodies that are mostly ASCII:
/// readable in the raw message, and every line kept within 76 characters.
enum QuotedPrintable {
    static let maximumLineLength = 76

    /// Encodes text whose line breaks are already CRLF; the breaks stay hard
    /// line breaks, long lines get soft breaks (`=` at the end of a line).
    static func encode(_ text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count + text.count / 8)
        let lines = text.split(separator: [UInt8(ascii: "\r"), UInt8(ascii: "\n")], omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if index > 0 { output += [UInt8(ascii: "\r"), UInt8(ascii: "\n")] }
            var lineLength = 0
            for position in line.indices {
                let byte = line[position]
                let isLast = position == line.index(before: line.endIndex)
                let token = tokenFor(byte, endsLine: isLast)
                // One column stays free for the `=` of a soft break.
                if lineLength + token.count > maximumLineLength - 1 {
                    output += [UInt8(ascii: "="), UInt8(ascii: "\r"), UInt8(ascii: "\n")]
                    lineLength = 0
                }
                output += token
                lineLength += token.count
            }
        }
        return output
    }

    /// Decodes soft breaks and `=XX` escapes; nil for a malformed escape.
    static func decode(_ encoded: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(encoded.count)
        let lines = encoded.split(separator: [UInt8(ascii: "\r"), UInt8(ascii: "\n")], omittingEmptySubsequences: false)
        for (index, rawLine) in lines.enumerated() {
            // Transport may add trailing blanks; encoded ones are written =20 or =09.
            var line = rawLine[...]
            while let last = line.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { line = line.dropLast() }
            var softBreak = false
            var position = line.startIndex
            while position < line.endIndex {
                let byte = line[position]
                guard byte == UInt8(ascii: "=") else {
                    output.append(byte)
                    position += 1
                    continue
                }
                if position + 1 == line.endIndex {
                    softBreak = true
                    break
                }
                guard position + 2 < line.endIndex, let high = hexValue(line[position + 1]), let low = hexValue(line[position + 2])
                else { return nil }
                output.append(high << 4 | low)
                position += 3
            }
            if !softBreak && index < lines.count - 1 { output += [UInt8(ascii: "\r"), UInt8(ascii: "\n")] }
        }
        return output
    }

    private static func tokenFor(_ byte: UInt8, endsLine: Bool) -> [UInt8] {
        let isBlank = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
        let isLiteral = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || (isBlank && !endsLine)
        if isLiteral { return [byte] }
        let digits = Array("0123456789ABCDEF".utf8)
        return [UInt8(ascii: "="), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
