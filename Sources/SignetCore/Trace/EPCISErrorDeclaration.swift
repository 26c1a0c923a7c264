import Foundation

/// The sender's statement that an earlier event was wrong. EPCIS events are
/// never changed or removed; a correction is a new copy of the event carrying
/// this, usually naming the events that replace it.
public struct EPCISErrorDeclaration: Sendable, Hashable {
    public var declarationTime: Date
    /// The bare CBV word (`did_not_occur`, `incorrect_data`) or a URI of the sender's own vocabulary.
    public var reason: String?
    public var correctiveEventIDs: [String]

    public init(declarationTime: Date, reason: String? = nil, correctiveEventIDs: [String] = []) {
        self.declarationTime = declarationTime
        self.reason = reason
        self.correctiveEventIDs = correctiveEventIDs
    }
}
