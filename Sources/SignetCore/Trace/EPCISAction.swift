/// What an event does to the relationship it records: ADD creates it (a
/// unit commissioned, children packed into a parent), OBSERVE sees it
/// unchanged, DELETE ends it. TransformationEvent has none.
public enum EPCISAction: String, Sendable, CaseIterable {
    case add = "ADD"
    case observe = "OBSERVE"
    case delete = "DELETE"
}
