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

    public enum Tone: String, Sendable {
        case ok, warn, bad
    }

    public var tone: Tone {
        switch self {
        case .genuineFirst: .ok
        case .genuineSeen, .suspicious, .inactive, .expired: .warn
        case .counterfeit, .recalled: .bad
        }
    }

    /// Product facts are withheld when the code is not one the brand issued,
    /// so a copied URL cannot borrow the genuine product's page.
    public var showsProduct: Bool { self != .counterfeit }
}
