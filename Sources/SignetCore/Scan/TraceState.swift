/// What a seal's supply-chain events say that changes its scan's verdict:
/// its latest disposition when that is one of these, else nothing.
public enum TraceState: String, CaseIterable, Sendable, Codable {
    /// Recalled by its container or its serial (a lot's recall is the lot's).
    case recalled
    case stolen
    case destroyed
    case expired

    /// The state a CBV 2.0 disposition leaves on the scan; nil for every other disposition.
    public init?(disposition: String) {
        self.init(rawValue: disposition)
    }
}
