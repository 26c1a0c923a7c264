import Foundation
import NIOCore
import SignetCore

/// A whole scan page for one product, lot, language and verdict, rendered
/// once with markers where the values of a single scan go (the verdict's
/// detail, the serial, the language links' query, the report link). A scan
/// fills the holes with its values, escaped exactly as mustache escapes them,
/// instead of rendering the template again: rendering was the largest part of
/// the server's work per scan.
struct ScanPageSkeleton: Sendable {
    struct Key: Hashable, Sendable {
        /// Nil for a GTIN no brand owns.
        var productID: Int64?
        var lotID: Int64?
        var language: Language
        var verdict: Verdict
        /// The recall of the seal's container or serial: its notice is in the page.
        var recallID: Int64?
    }

    enum Hole: CaseIterable, Sendable {
        case detail, serial, queryPrefix, reportURL, claimToken

        /// Letters and digits only, so escaping leaves them as they are; the
        /// random part cannot be guessed, so no brand text can contain one.
        static let markers: [Hole: String] = {
            let nonce = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            return Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, "signethole\(nonce)n\($0)x") })
        }()

        var marker: String { Self.markers[self]! }
    }

    /// The page's text between holes: `literals.count == holes.count + 1`.
    private(set) var literals: [String]
    private(set) var holes: [Hole]

    /// Cuts a page rendered with `Hole.marker` values into literals and holes.
    init(rendered html: String) {
        var literals: [String] = []
        var holes: [Hole] = []
        var rest = Substring(html)
        while let (range, hole) = Hole.allCases.compactMap({ hole in rest.range(of: hole.marker).map { ($0, hole) } })
            .min(by: { $0.0.lowerBound < $1.0.lowerBound })
        {
            literals.append(String(rest[..<range.lowerBound]))
            holes.append(hole)
            rest = rest[range.upperBound...]
        }
        literals.append(String(rest))
        self.literals = literals
        self.holes = holes
    }

    /// The page with `values` in its holes, each HTML-escaped.
    func filled(_ values: ScanPageView.PerScan) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(literals.reduce(0) { $0 + $1.utf8.count } + 512)
        for (index, literal) in literals.enumerated() {
            buffer.writeString(literal)
            guard index < holes.count else { break }
            let value = switch holes[index] {
            case .detail: values.detail
            case .serial: values.serial
            case .queryPrefix: values.queryPrefix
            case .reportURL: values.reportURL ?? ""
            case .claimToken: values.claimToken ?? ""
            }
            buffer.writeString(HTML.escape(value))
        }
        return buffer
    }
}
