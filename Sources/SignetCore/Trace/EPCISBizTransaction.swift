/// A business document the event belongs to: a purchase order, a despatch advice.
public struct EPCISBizTransaction: Sendable, Hashable {
    /// The bare CBV word (`po`, `desadv`, …), a URI of the sender's own vocabulary, or nil when not given.
    public var type: String?
    /// The document's URI, as sent.
    public var id: String

    public init(type: String?, id: String) {
        self.type = type
        self.id = id
    }
}
