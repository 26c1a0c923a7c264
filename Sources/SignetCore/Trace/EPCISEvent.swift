import Foundation

/// One EPCIS 2.0 event as read from JSON-LD and checked against the standard:
/// what (identifiers, quantities), when, where (read point, business location),
/// why (business step, disposition, transactions) and how it relates to
/// earlier events (action, error declaration).
public struct EPCISEvent: Sendable, Hashable {
    public var type: EPCISEventType
    /// As sent; nil when absent.
    public var eventID: String?
    public var eventTime: Date
    /// The offset local to where the event happened, such as "+01:00"; `eventTime` is an instant regardless.
    public var eventTimeZoneOffset: String
    /// Nil only for a TransformationEvent, which has none.
    public var action: EPCISAction?
    /// The bare CBV word (`shipping`) whichever spelling was sent, or a URI of the sender's own vocabulary.
    public var bizStep: String?
    /// The bare CBV word (`in_transit`) whichever spelling was sent, or a URI of the sender's own vocabulary.
    public var disposition: String?
    /// `.item` and `.container` identifiers (ObjectEvent, TransactionEvent).
    public var epcList: [EPCIdentifier]
    /// ObjectEvent, TransactionEvent.
    public var quantityList: [EPCISQuantity]
    /// The carton, pallet or item the children are in (AggregationEvent, AssociationEvent, TransactionEvent).
    public var parentID: EPCIdentifier?
    public var childEPCs: [EPCIdentifier]
    public var childQuantityList: [EPCISQuantity]
    /// What a TransformationEvent consumed and produced.
    public var inputEPCList: [EPCIdentifier]
    public var inputQuantityList: [EPCISQuantity]
    public var outputEPCList: [EPCIdentifier]
    public var outputQuantityList: [EPCISQuantity]
    /// Ties together TransformationEvents that are steps of one transformation.
    public var transformationID: String?
    /// `.location`: where the event was seen.
    public var readPoint: EPCIdentifier?
    /// `.location`: where the goods are afterwards.
    public var bizLocation: EPCIdentifier?
    public var sourceList: [EPCISSourceDestination]
    public var destinationList: [EPCISSourceDestination]
    public var bizTransactionList: [EPCISBizTransaction]
    /// Dispositions that stay until unset by a later event (bare CBV words, or URIs), ObjectEvent and TransformationEvent.
    public var persistentDispositionSet: [String]
    public var persistentDispositionUnset: [String]
    public var errorDeclaration: EPCISErrorDeclaration?
    /// Instance or lot master data (expiry date, batch attributes), given when goods are commissioned or made.
    public var ilmd: JSONValue?
    /// The whole event object as sent, including fields Signet does not read; what gets stored.
    public var json: JSONValue

    /// Every identifier the event names as goods, each once in first-named order
    /// (epcList, parentID, childEPCs, input and output lists, quantity classes), for indexing.
    /// Places and parties are left out.
    public var allIdentifiers: [EPCIdentifier] {
        var seen = Set<EPCIdentifier>()
        var ordered: [EPCIdentifier] = []
        let named = epcList + (parentID.map { [$0] } ?? []) + childEPCs + inputEPCList + outputEPCList
            + (quantityList + childQuantityList + inputQuantityList + outputQuantityList).map(\.epcClass)
        for identifier in named where seen.insert(identifier).inserted {
            ordered.append(identifier)
        }
        return ordered
    }
}
