/// The languages Signet speaks to consumers.
public enum Language: String, CaseIterable, Sendable, Hashable, Comparable {
    case en, fr, de, es

    /// Matches a BCP 47 tag by its primary subtag: `fr-CA` and `FR_ca` are French.
    public init?(tag: some StringProtocol) {
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first ?? ""
        self.init(rawValue: primary.lowercased())
    }

    public static func < (lhs: Language, rhs: Language) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
