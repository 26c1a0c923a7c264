/// The five EPCIS 2.0 event types, spelled as JSON-LD writes `type`.
public enum EPCISEventType: String, Sendable, CaseIterable {
    case object = "ObjectEvent"
    case aggregation = "AggregationEvent"
    case transaction = "TransactionEvent"
    case transformation = "TransformationEvent"
    case association = "AssociationEvent"
}
