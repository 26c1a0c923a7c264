import Foundation
import SignetCore

/// The standard query parameters of `GET /epcis/events` (EPCIS 2.0 SimpleEventQuery
/// as REST query parameters) that Signet answers. An unknown parameter or a
/// bad value is an error naming it, never silently ignored: a filter a client
/// believes applied and was not would hand it the wrong events.
struct EPCISEventQuery: Sendable, Equatable {
    /// A way an identifier or pattern matches stored identifiers (all in their Digital Link form).
    struct Match: Sendable, Equatable {
        var exact: String
        /// A GTIN's class also matches its items and lots.
        var prefix: String?
    }

    /// One MATCH_ parameter: an event passes when one of its identifiers in `roles` matches one of `patterns`.
    struct MatchFilter: Sendable, Equatable {
        var roles: [String]
        var patterns: [Match]
    }

    var eventTypes: [EPCISEventType]?
    var actions: [EPCISAction]?
    var bizSteps: [String]?
    var dispositions: [String]?
    var readPoints: [String]?
    var bizLocations: [String]?
    var eventIDs: [String]?
    var eventTimeFrom: Date?
    var eventTimeBefore: Date?
    var recordTimeFrom: Date?
    var recordTimeBefore: Date?
    var matches: [MatchFilter] = []
    var perPage = 100
    /// The last event id of the previous page.
    var after: Int64?

    static let maximumPerPage = 1000

    struct Problem: Error, Sendable, Equatable {
        var parameter: String
        var message: String
    }

    /// Roles of the stored identifiers each MATCH_ parameter looks at (EPCIS 2.0 §8.2.7.1).
    static let matchRoles: [String: [String]] = [
        "MATCH_epc": ["epc"],
        "MATCH_parentID": ["parent"],
        "MATCH_inputEPC": ["input"],
        "MATCH_outputEPC": ["output"],
        "MATCH_anyEPC": ["epc", "parent", "input", "output"],
        "MATCH_epcClass": ["class"],
        "MATCH_inputEPCClass": ["input_class"],
        "MATCH_outputEPCClass": ["output_class"],
        "MATCH_anyEPCClass": ["class", "input_class", "output_class"],
    ]

    /// Reads `parameters` in the order sent; a parameter may be repeated or carry a comma-separated list.
    init(_ parameters: [(name: String, value: String)]) throws(Problem) {
        var seen = Set<String>()
        for (name, value) in parameters {
            let values = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !values.contains(where: \.isEmpty) else { throw Problem(parameter: name, message: "has an empty value") }
            let repeatable = name.hasPrefix("MATCH_") || name.hasPrefix("EQ_") || name == "eventType"
            guard repeatable || seen.insert(name).inserted else { throw Problem(parameter: name, message: "is given twice") }
            switch name {
            case "eventType":
                eventTypes = try (eventTypes ?? []) + values.map { text throws(Problem) in
                    guard let type = EPCISEventType(rawValue: text) else {
                        throw Problem(parameter: name, message: "\"\(text)\" is not an EPCIS event type (\(EPCISEventType.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    return type
                }
            case "EQ_action":
                actions = try (actions ?? []) + values.map { text throws(Problem) in
                    guard let action = EPCISAction(rawValue: text) else {
                        throw Problem(parameter: name, message: "\"\(text)\" is not ADD, OBSERVE or DELETE")
                    }
                    return action
                }
            case "EQ_bizStep":
                bizSteps = try (bizSteps ?? []) + values.map { text throws(Problem) in
                    try Self.vocabulary(CBVVocabulary.businessStep.canonical(text), text, name)
                }
            case "EQ_disposition":
                dispositions = try (dispositions ?? []) + values.map { text throws(Problem) in
                    try Self.vocabulary(CBVVocabulary.disposition.canonical(text), text, name)
                }
            case "EQ_readPoint":
                readPoints = try (readPoints ?? []) + values.map { text throws(Problem) in try Self.location(text, name) }
            case "EQ_bizLocation":
                bizLocations = try (bizLocations ?? []) + values.map { text throws(Problem) in try Self.location(text, name) }
            case "EQ_eventID":
                eventIDs = (eventIDs ?? []) + values
            case "GE_eventTime": eventTimeFrom = try Self.time(value, name)
            case "LT_eventTime": eventTimeBefore = try Self.time(value, name)
            case "GE_recordTime": recordTimeFrom = try Self.time(value, name)
            case "LT_recordTime": recordTimeBefore = try Self.time(value, name)
            case "perPage":
                guard let count = Int(value), (1...Self.maximumPerPage).contains(count) else {
                    throw Problem(parameter: name, message: "must be a whole number from 1 to \(Self.maximumPerPage)")
                }
                perPage = count
            case "nextPageToken":
                guard let parts = PageCursor.decode(value, parts: 1), let id = Int64(parts[0]) else {
                    throw Problem(parameter: name, message: "is not a token this server gave")
                }
                after = id
            default:
                guard let roles = Self.matchRoles[name] else {
                    throw Problem(parameter: name, message: "is not a query parameter Signet answers (\(Self.supported))")
                }
                let patterns = try values.map { text throws(Problem) in
                    guard let identifier = EPCIdentifier(text), identifier.gln == nil else {
                        throw Problem(parameter: name, message: "\"\(text)\" is not an EPC, EPC pattern or class Signet understands")
                    }
                    return Self.match(identifier)
                }
                matches.append(MatchFilter(roles: roles, patterns: patterns))
            }
        }
    }

    static var supported: String {
        (["eventType", "EQ_action", "EQ_bizStep", "EQ_disposition", "EQ_readPoint", "EQ_bizLocation", "EQ_eventID",
          "GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime"] + matchRoles.keys.sorted() + ["perPage", "nextPageToken"])
            .joined(separator: ", ")
    }

    static func match(_ identifier: EPCIdentifier) -> Match {
        if case .product = identifier {
            return Match(exact: identifier.digitalLinkURI, prefix: identifier.digitalLinkURI + "/")
        }
        return Match(exact: identifier.digitalLinkURI, prefix: nil)
    }

    private static func vocabulary(_ normalized: String?, _ text: String, _ name: String) throws(Problem) -> String {
        guard let normalized else { throw Problem(parameter: name, message: "\"\(text)\" is neither a CBV 2.0 value nor a URI") }
        return normalized
    }

    private static func location(_ text: String, _ name: String) throws(Problem) -> String {
        guard let identifier = EPCIdentifier(text), case .location = identifier else {
            throw Problem(parameter: name, message: "\"\(text)\" is not an SGLN or a GS1 Digital Link /414 URI")
        }
        return identifier.digitalLinkURI
    }

    private static func time(_ text: String, _ name: String) throws(Problem) -> Date {
        guard let date = EPCISTimestamp.date(from: text) else {
            throw Problem(parameter: name, message: "\"\(text)\" is not an ISO 8601 time with an offset (2026-03-01T10:00:00Z)")
        }
        return date
    }
}
