/// What a scan tells the consumer about the seal in front of them.
public enum Verdict: String, CaseIterable, Sendable, Codable {
    case genuineFirst = "genuine_first"
    case genuineSeen = "genuine_seen"
    /// Authentic, but verified in more scan sessions than the brand allows.
    case suspicious
    case counterfeit
    case recalled
    case inactive
    /// Authentic, but its lot is past its expiry date.
    case expired
    /// An NFC tap URL the tag wrote for an earlier tap: a copy, not this seal in hand.
    case replayed
    /// An NFC TagTamper seal whose tamper loop says it has been opened.
    case tampered
    /// Authentic, but the brand's supply-chain events report the unit stolen.
    case stolen
    /// Authentic, but the unit was reported destroyed: its seal should not be on a product for sale.
    case destroyed

    public enum Tone: String, Sendable {
        case ok, warn, bad
    }

    public var tone: Tone {
        switch self {
        case .genuineFirst: .ok
        case .genuineSeen, .suspicious, .inactive, .expired: .warn
        case .counterfeit, .recalled, .replayed, .tampered, .stolen, .destroyed: .bad
        }
    }

    /// Product facts are withheld when the code is not one the brand issued,
    /// or is a copy of a real tap, so a copied URL cannot borrow the genuine
    /// product's page.
    public var showsProduct: Bool { self != .counterfeit && self != .replayed }
}
