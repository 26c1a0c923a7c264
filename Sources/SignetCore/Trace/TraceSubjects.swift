/// What a manager names on a portal form, one per line: a carton or pallet
/// by its SSCC (18 digits) or `/00/` URI, a unit by its seal URL, GS1 Digital
/// Link URI or EPC URN, or a lot as its GTIN and code ("03760123450003 HL2406").
public struct TraceSubjects: Sendable, Equatable {
    public private(set) var identifiers: [EPCIdentifier] = []
    /// Lines that name nothing Signet understands, as typed.
    public private(set) var unreadable: [String] = []

    public static let maximumLines = 10_000

    public init(lines text: String) {
        var seen = Set<EPCIdentifier>()
        for line in text.split(whereSeparator: \.isNewline).prefix(Self.maximumLines) {
            let trimmed = line.trimmingWhitespace()
            guard !trimmed.isEmpty else { continue }
            let identifier: EPCIdentifier? = SSCC(trimmed).map(EPCIdentifier.container)
                ?? LotReference(line: trimmed).map { .lot($0.gtin, lot: $0.code) }
                ?? EPCIdentifier(trimmed).flatMap { $0.gln == nil ? $0 : nil }
            guard let identifier else {
                unreadable.append(trimmed)
                continue
            }
            if seen.insert(identifier).inserted { identifiers.append(identifier) }
        }
    }

    public var isEmpty: Bool { identifiers.isEmpty && unreadable.isEmpty }
}

extension EPCIdentifier {
    /// The GLN of a place or a party; nil for goods.
    public var gln: GLN? {
        switch self {
        case .location(let gln, _), .party(let gln): gln
        default: nil
        }
    }

    /// The SSCC digits of a container.
    public var sscc: String? {
        if case .container(let sscc) = self { sscc.digits } else { nil }
    }
}
