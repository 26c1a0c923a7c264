/// One thing wrong with a document or an event, and where.
public struct EPCISFieldError: Sendable, Hashable, Error, CustomStringConvertible {
    /// A path into the document, such as `epcisBody.eventList[3].eventTime`; empty for the document as a whole.
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}

/// Everything wrong with one event, so a sender can fix it in one go.
public struct EPCISEventErrors: Error, Sendable, Hashable {
    /// The event's position in the document's event list.
    public var index: Int
    public var errors: [EPCISFieldError]

    public init(index: Int, errors: [EPCISFieldError]) {
        self.index = index
        self.errors = errors
    }
}
