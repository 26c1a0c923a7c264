/// One entry of an `Accept-Language` header (RFC 9110 §12.5.4).
public struct LanguageRange: Equatable, Sendable {
    public let tag: String
    /// Quality in thousandths, 0...1000, so that sorting needs no floating point.
    public let quality: Int
}

public enum AcceptLanguage {
    /// Headers longer than this are cut: no browser sends one, and parsing must stay cheap.
    static let maximumRanges = 32

    /// Ranges with q > 0, best first; equal qualities keep the header's order.
    public static func parse(_ header: String) -> [LanguageRange] {
        var ranges: [LanguageRange] = []
        for item in header.split(separator: ",").prefix(maximumRanges) {
            let parts = item.split(separator: ";")
            guard let rawTag = parts.first else { continue }
            let tag = rawTag.trimmingSpaces()
            guard !tag.isEmpty, tag.utf8.count <= 35 else { continue }
            var quality = 1000
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard pair.count == 2, pair[0].trimmingSpaces().lowercased() == "q" else { continue }
                guard let parsed = parseQuality(pair[1].trimmingSpaces()) else { quality = -1; break }
                quality = parsed
            }
            if quality > 0 { ranges.append(LanguageRange(tag: String(tag), quality: quality)) }
        }
        // A stable sort keeps the client's order among equal qualities.
        return ranges.enumerated()
            .sorted { $0.element.quality != $1.element.quality ? $0.element.quality > $1.element.quality : $0.offset < $1.offset }
            .map(\.element)
    }

    /// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`
    static func parseQuality(_ text: Substring) -> Int? {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1") else { return nil }
        var value = Int(first - UInt8(ascii: "0")) * 1000
        guard bytes.count > 1 else { return value }
        guard bytes[1] == UInt8(ascii: "."), bytes.count <= 5 else { return nil }
        var scale = 100
        for byte in bytes.dropFirst(2) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value += Int(byte - UInt8(ascii: "0")) * scale
            scale /= 10
        }
        return value <= 1000 ? value : nil
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
