/// One lot of one product: the product's GTIN and the lot code (GS1 AI 10).
public struct LotReference: Hashable, Sendable {
    public let gtin: GTIN
    public let code: String

    public init?(gtin: some StringProtocol, code: some StringProtocol) {
        guard let gtin = GTIN(gtin), AI82.isValid(code) else { return nil }
        self.gtin = gtin
        self.code = String(code)
    }

    /// A lot as typed on a form line: the GTIN, blanks, the lot code
    /// (lot codes cannot hold a blank, so the split is unambiguous).
    public init?(line: some StringProtocol) {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 2 else { return nil }
        self.init(gtin: parts[0], code: parts[1])
    }

    /// The form line this was read from, normalized.
    public var line: String { "\(gtin.digits) \(code)" }
}
