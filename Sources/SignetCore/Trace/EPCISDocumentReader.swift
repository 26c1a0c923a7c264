import Foundation

/// An EPCISDocument whose envelope was sound: its events, each read or refused on its own.
public struct EPCISDocumentReading: Sendable {
    public var schemaVersion: String
    public var creationDate: Date
    /// One entry per event in document order: the event, or the errors found in it (all of them, not just the first).
    public var events: [Result<EPCISEvent, EPCISEventErrors>]

    public var validEvents: [EPCISEvent] {
        events.compactMap { try? $0.get() }
    }

    public var eventErrors: [EPCISEventErrors] {
        events.compactMap { result in
            if case .failure(let errors) = result { return errors }
            return nil
        }
    }
}

/// Reads EPCIS 2.0 JSON-LD capture documents (GS1 EPCIS 2.0, section 12)
/// without a JSON-LD processor: field names are read as the standard's
/// context defines them, and everything else an event carries is kept in its `json`.
public enum EPCISDocumentReader {
    /// Throws for document-level problems: not JSON, not an object, `type` not
    /// "EPCISDocument", a missing or unsupported `schemaVersion` (2, 2.0, 2.0.1, 2.1…),
    /// a missing `creationDate`, no `epcisBody.eventList` array, or more than `maximumEvents` events.
    /// Event-level problems go into `events`.
    public static func read(_ bytes: some Collection<UInt8>, maximumEvents: Int = 10_000) throws(EPCISFieldError) -> EPCISDocumentReading {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch {
            throw EPCISFieldError(field: "", message: error.description)
        }
        guard case .object(let document) = json else {
            throw EPCISFieldError(field: "", message: "must be a JSON object (an EPCISDocument), not \(json.kindDescription)")
        }

        let type = try string(document["type"], at: "type")
        guard type == "EPCISDocument" else {
            throw EPCISFieldError(field: "type", message: "\"\(type.prefix(120))\" is not \"EPCISDocument\"; Signet captures EPCIS documents")
        }

        let schemaVersion = try string(document["schemaVersion"], at: "schemaVersion")
        guard isSupported(schemaVersion: schemaVersion) else {
            throw EPCISFieldError(field: "schemaVersion", message: "\"\(schemaVersion.prefix(120))\" is not an EPCIS 2 schema version such as \"2.0\"")
        }

        let creationDateText = try string(document["creationDate"], at: "creationDate")
        guard let creationDate = EPCISTimestamp.date(from: creationDateText) else {
            throw EPCISFieldError(
                field: "creationDate",
                message: "\"\(creationDateText.prefix(120))\" is not a date and time with its offset, such as 2005-04-03T20:33:31.116-06:00")
        }

        guard let body = document["epcisBody"], body != .null else {
            throw EPCISFieldError(field: "epcisBody", message: "is required")
        }
        guard case .object(let bodyFields) = body else {
            throw EPCISFieldError(field: "epcisBody", message: "must be an object, not \(body.kindDescription)")
        }
        guard let eventList = bodyFields["eventList"], eventList != .null else {
            throw EPCISFieldError(field: "epcisBody.eventList", message: "is required")
        }
        guard case .array(let eventValues) = eventList else {
            throw EPCISFieldError(field: "epcisBody.eventList", message: "must be an array, not \(eventList.kindDescription)")
        }
        guard eventValues.count <= maximumEvents else {
            throw EPCISFieldError(
                field: "epcisBody.eventList",
                message: "has \(eventValues.count) events; at most \(maximumEvents) are accepted in one document")
        }

        let events = eventValues.enumerated().map { event($0.element, index: $0.offset) }
        return EPCISDocumentReading(schemaVersion: schemaVersion, creationDate: creationDate, events: events)
    }

    /// One event object (also used for a single-event capture). Fields are named
    /// from `path`, by default `epcisBody.eventList[index]`; pass "" for an event
    /// sent on its own, to get `eventTime` rather than `epcisBody.eventList[0].eventTime`.
    public static func event(_ json: JSONValue, index: Int, path: String? = nil) -> Result<EPCISEvent, EPCISEventErrors> {
        let path = path ?? "epcisBody.eventList[\(index)]"
        guard case .object(let fields) = json else {
            let error = EPCISFieldError(field: path, message: "must be an event object, not \(json.kindDescription)")
            return .failure(EPCISEventErrors(index: index, errors: [error]))
        }
        var reader = EPCISEventReader(fields: fields, path: path)
        guard let event = reader.read(json) else {
            return .failure(EPCISEventErrors(index: index, errors: reader.errors))
        }
        return .success(event)
    }

    /// EPCIS 2.0's schema allows any dotted version; Signet reads major version 2,
    /// whose later revisions only add optional fields.
    static func isSupported(schemaVersion: String) -> Bool {
        let parts = schemaVersion.split(separator: ".", omittingEmptySubsequences: false)
        return parts.first == "2" && parts.count <= 4
            && parts.allSatisfy { !$0.isEmpty && $0.count <= 4 && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }

    private static func string(_ value: JSONValue?, at field: String) throws(EPCISFieldError) -> String {
        guard let value, value != .null else { throw EPCISFieldError(field: field, message: "is required") }
        guard case .string(let text) = value else {
            throw EPCISFieldError(field: field, message: "must be a string, not \(value.kindDescription)")
        }
        return text
    }
}
