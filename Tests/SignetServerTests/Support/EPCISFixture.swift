import Foundation
import HTTPTypes
import HummingbirdTesting
import SignetCore

/// EPCIS 2.0 documents for tests, written after the standard's published
/// examples, about the demo brand's honey (GTIN 03760123450003, company
/// prefix 3760123, lot HL2406, serials H00001…).
enum EPCISFixture {
    static let honeyPrefix = "urn:epc:id:sgtin:3760123.045000."
    static let honeyLot = "urn:epc:class:lgtin:3760123.045000.HL2406"
    static let honeyClass = "urn:epc:idpat:sgtin:3760123.045000.*"
    static let warehouse = "urn:epc:id:sgln:3760123.00000.0"
    /// Partners' GLNs (check digits valid).
    static let distributorGLN = "4012345000009"
    static let retailerGLN = "5412345000013"

    static func honey(_ serial: String) -> String { honeyPrefix + serial }
    static func honeyLink(_ serial: String) -> String { "https://id.gs1.org/01/03760123450003/21/\(serial)" }
    /// An SSCC URN: extension digit 0, company prefix 3760123, serial reference `serial` (up to 9 digits).
    static func sscc(_ serial: Int) -> String {
        "urn:epc:id:sscc:3760123.0" + String(format: "%09d", serial)
    }

    static func document(_ events: [String]) -> String {
        """
        {"@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"], "type": "EPCISDocument",
         "schemaVersion": "2.0", "creationDate": "2027-03-01T08:00:00.000Z",
         "epcisBody": {"eventList": [\(events.joined(separator: ",\n"))]}}
        """
    }

    static func list(_ items: [String]) -> String {
        "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }

    static func commissioning(_ id: String, _ epcs: [String], at time: String = "2027-03-01T09:00:00.000+01:00") -> String {
        """
        {"type": "ObjectEvent", "eventID": "\(id)", "eventTime": "\(time)", "eventTimeZoneOffset": "+01:00",
         "epcList": \(list(epcs)), "action": "ADD", "bizStep": "commissioning", "disposition": "active",
         "readPoint": {"id": "\(warehouse)"}}
        """
    }

    static func packing(_ id: String, parent: String, _ children: [String], at time: String, action: String = "ADD") -> String {
        """
        {"type": "AggregationEvent", "eventID": "\(id)", "eventTime": "\(time)", "eventTimeZoneOffset": "+01:00",
         "parentID": "\(parent)", "childEPCs": \(list(children)), "action": "\(action)", "bizStep": "\(action == "ADD" ? "packing" : "unpacking")",
         "disposition": "in_progress", "readPoint": {"id": "\(warehouse)"}}
        """
    }

    static func shipping(_ id: String, _ epcs: [String], to gln: String, at time: String) -> String {
        """
        {"type": "ObjectEvent", "eventID": "\(id)", "eventTime": "\(time)", "eventTimeZoneOffset": "+01:00",
         "epcList": \(list(epcs)), "action": "OBSERVE", "bizStep": "urn:epcglobal:cbv:bizstep:shipping",
         "disposition": "https://ref.gs1.org/cbv/Disp-in_transit", "readPoint": {"id": "\(warehouse)"},
         "bizTransactionList": [{"type": "desadv", "bizTransaction": "urn:epcglobal:cbv:bt:3760123000002:DES-\(id.suffix(4))"}],
         "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:3760123.00000"}],
         "destinationList": [{"type": "owning_party", "destination": "https://id.gs1.org/417/\(gln)"},
                             {"type": "location", "destination": "https://id.gs1.org/414/\(gln)"}]}
        """
    }

    static func receiving(_ id: String, _ epcs: [String], at gln: String, time: String) -> String {
        """
        {"type": "ObjectEvent", "eventID": "\(id)", "eventTime": "\(time)", "eventTimeZoneOffset": "+01:00",
         "epcList": \(list(epcs)), "action": "OBSERVE", "bizStep": "receiving", "disposition": "in_progress",
         "readPoint": {"id": "https://id.gs1.org/414/\(gln)"}, "bizLocation": {"id": "https://id.gs1.org/414/\(gln)"}}
        """
    }

    static func returning(_ id: String, _ epcs: [String], time: String) -> String {
        """
        {"type": "ObjectEvent", "eventID": "\(id)", "eventTime": "\(time)", "eventTimeZoneOffset": "+01:00",
         "epcList": \(list(epcs)), "action": "OBSERVE", "bizStep": "receiving", "disposition": "returned",
         "bizLocation": {"id": "\(warehouse)"}, "example:reason": "damaged in transit"}
        """
    }

    static func lotRecall(_ id: String, time: String) -> String {
        """
        {"type": "ObjectEvent", "eventID": "\(id)", "eventTime": "\(time)", "eventTimeZoneOffset": "+01:00",
         "quantityList": [{"epcClass": "\(honeyLot)", "quantity": 400}], "action": "OBSERVE", "bizStep": "holding",
         "disposition": "recalled"}
        """
    }
}

extension TestClientProtocol {
    /// POSTs an EPCIS document to `/epcis/capture`.
    func capture(_ document: String, key: String, behaviour: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [HTTPField.Name("GS1-EPCIS-Version")!: "2.0.0"]
        if let behaviour { headers[HTTPField.Name("GS1-Capture-Error-Behaviour")!] = behaviour }
        return try await api(.post, "/epcis/capture", key: key, json: document, headers: headers)
    }

    /// The events a query answers, as JSON objects.
    func queryEvents(_ query: String, key: String, headers: HTTPFields = [:]) async throws -> (TestResponse, [[String: Any]]) {
        let response = try await api(.get, "/epcis/events" + query, key: key, headers: headers)
        let body = response.json
        let results = ((body["epcisBody"] as? [String: Any])?["queryResults"] as? [String: Any])?["resultsBody"] as? [String: Any]
        return (response, results?["eventList"] as? [[String: Any]] ?? [])
    }
}
