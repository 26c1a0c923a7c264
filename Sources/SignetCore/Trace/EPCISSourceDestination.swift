/// Where goods come from or go to in a business transfer, and in what sense:
/// who owns them, who holds them, or the place.
public struct EPCISSourceDestination: Sendable, Hashable {
    /// The bare CBV word (`owning_party`, `possessing_party`, `location`) or a URI of the sender's own vocabulary.
    public var type: String
    /// `.party` or `.location`.
    public var id: EPCIdentifier

    public init(type: String, id: EPCIdentifier) {
        self.type = type
        self.id = id
    }
}
