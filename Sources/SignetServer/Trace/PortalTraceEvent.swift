import Foundation
import SignetCore

/// The EPCIS events the portal's forms record, built as the JSON-LD a brand's
/// own systems would send, so they are validated, stored and queried like
/// any captured event.
enum PortalTraceEvent {
    enum Action: String, CaseIterable, Sendable {
        case ship, receive, `return`, recall

        var bizStep: String? {
            switch self {
            case .ship: "shipping"
            case .receive, .return: "receiving"
            case .recall: nil
            }
        }

        var disposition: String {
            switch self {
            case .ship: "in_transit"
            case .receive: "in_progress"
            case .return: "returned"
            case .recall: "recalled"
            }
        }
    }

    /// An ObjectEvent naming `subjects` (units and containers in `epcList`, lots in `quantityList`).
    static func make(_ action: Action, subjects: [EPCIdentifier], partner: GLN?, reason: String?, at time: Date) -> JSONValue {
        var event: [String: JSONValue] = [
            "type": "ObjectEvent",
            "eventID": .string("urn:uuid:\(UUID().uuidString.lowercased())"),
            "eventTime": .string(EPCISTimestamp.format(time)),
            "eventTimeZoneOffset": "+00:00",
            "action": "OBSERVE",
            "disposition": .string(action.disposition),
        ]
        if let step = action.bizStep { event["bizStep"] = .string(step) }
        let goods = subjects.filter { if case .lot = $0 { false } else { true } }
        let lots = subjects.filter { if case .lot = $0 { true } else { false } }
        if !goods.isEmpty { event["epcList"] = .array(goods.map { .string($0.digitalLinkURI) }) }
        if !lots.isEmpty { event["quantityList"] = .array(lots.map { .object(["epcClass": .string($0.digitalLinkURI)]) }) }
        if let partner {
            let party = EPCIdentifier.party(partner).digitalLinkURI
            let place = EPCIdentifier.location(partner, extension: nil).digitalLinkURI
            switch action {
            case .ship:
                event["destinationList"] = .array([
                    .object(["type": "owning_party", "destination": .string(party)]),
                    .object(["type": "location", "destination": .string(place)]),
                ])
            case .receive:
                event["bizLocation"] = .object(["id": .string(place)])
            case .return, .recall:
                // Where the goods come back from; the brand holds them again.
                event["sourceList"] = .array([.object(["type": "owning_party", "source": .string(party)])])
            }
        }
        if let reason, !reason.isEmpty { event["signet:reason"] = .string(reason) }
        return .object(event)
    }
}
