import Foundation
import Logging
import PostgresNIO
import SignetCore
import SignetServer

/// The demo brand's supply chain, so the portal's pages and the stolen and
/// destroyed scan pages have something to show: two partners, two cartons
/// of honey packed on a pallet and shipped to the distributor, received
/// there, a unit returned, one reported stolen and one destroyed. Sent as the
/// EPCIS events a packing line and a warehouse would send, with fixed
/// eventIDs, so seeding again stores nothing twice.
struct DemoSupplyChain {
    let database: PostgresClient
    let logger: Logger

    static let distributorGLN = "4012345000009"
    static let retailerGLN = "5412345000013"
    private static let honey = "03760123450003"

    func seed(brandSlug: String) async throws {
        try await database.query("""
            INSERT INTO partners (brand_id, name, gln, kind, countries)
            SELECT id, 'Distribution Île-de-France', \(Self.distributorGLN), 'distributor', '{FR}'::text[] FROM brands WHERE slug = \(brandSlug)
            UNION ALL
            SELECT id, 'Kaufhaus Mitte', \(Self.retailerGLN), 'retailer', '{DE,AT}'::text[] FROM brands WHERE slug = \(brandSlug)
            ON CONFLICT (brand_id, gln) DO NOTHING
            """, logger: logger)
        _ = try await TraceEventRecorder(database: database, logger: logger).record(Self.events, brandSlug: brandSlug)
    }

    private static func unit(_ serial: String) -> JSONValue { .string("https://id.gs1.org/01/\(honey)/21/\(serial)") }
    private static func units(_ range: ClosedRange<Int>) -> JSONValue {
        .array(range.map { unit(String(format: "H%05d", $0)) })
    }
    private static let cartonA: JSONValue = "https://id.gs1.org/00/037601230000000017"
    private static let cartonB: JSONValue = "https://id.gs1.org/00/037601230000000024"
    private static let pallet: JSONValue = "https://id.gs1.org/00/037601230000000109"
    private static let warehouse: JSONValue = ["id": "https://id.gs1.org/414/3760123000000"]
    private static let distributorPlace: JSONValue = ["id": .string("https://id.gs1.org/414/\(distributorGLN)")]

    private static func event(_ number: Int, _ time: String, _ fields: [String: JSONValue]) -> JSONValue {
        var event: [String: JSONValue] = [
            "eventID": .string("urn:uuid:5e41de00-0000-4000-8000-\(String(format: "%012d", number))"),
            "eventTime": .string(time), "eventTimeZoneOffset": "+02:00",
        ]
        event.merge(fields) { $1 }
        return .object(event)
    }

    static let events: [JSONValue] = [
        event(1, "2026-06-22T09:00:00+02:00", [
            "type": "AggregationEvent", "action": "ADD", "parentID": cartonA, "childEPCs": units(361...366),
            "bizStep": "packing", "disposition": "in_progress", "readPoint": warehouse,
        ]),
        event(2, "2026-06-22T09:05:00+02:00", [
            "type": "AggregationEvent", "action": "ADD", "parentID": cartonB, "childEPCs": units(367...372),
            "bizStep": "packing", "disposition": "in_progress", "readPoint": warehouse,
        ]),
        event(3, "2026-06-22T09:30:00+02:00", [
            "type": "AggregationEvent", "action": "ADD", "parentID": pallet, "childEPCs": [cartonA, cartonB],
            "bizStep": "packing", "disposition": "in_progress", "readPoint": warehouse,
        ]),
        event(4, "2026-06-23T07:00:00+02:00", [
            "type": "ObjectEvent", "action": "OBSERVE", "epcList": [pallet], "bizStep": "shipping", "disposition": "in_transit",
            "readPoint": warehouse,
            "bizTransactionList": [["type": "desadv", "bizTransaction": "urn:epcglobal:cbv:bt:3760123000000:DES-2606-23"]],
            "destinationList": [
                ["type": "owning_party", "destination": .string("https://id.gs1.org/417/\(distributorGLN)")],
                ["type": "location", "destination": .string("https://id.gs1.org/414/\(distributorGLN)")],
            ],
        ]),
        event(5, "2026-06-24T10:00:00+02:00", [
            "type": "ObjectEvent", "action": "OBSERVE", "epcList": [pallet], "bizStep": "receiving", "disposition": "in_progress",
            "readPoint": distributorPlace, "bizLocation": distributorPlace,
        ]),
        event(6, "2026-07-02T15:00:00+02:00", [
            "type": "ObjectEvent", "action": "OBSERVE", "epcList": [unit("H00366")], "bizStep": "receiving", "disposition": "returned",
            "bizLocation": warehouse, "signet:reason": "Jar cracked in transit",
            "sourceList": [["type": "owning_party", "source": .string("https://id.gs1.org/417/\(distributorGLN)")]],
        ]),
        event(7, "2026-07-05T08:00:00+02:00", [
            "type": "ObjectEvent", "action": "OBSERVE", "epcList": [unit("H00381")], "disposition": "stolen", "readPoint": warehouse,
        ]),
        event(8, "2026-07-05T08:10:00+02:00", [
            "type": "ObjectEvent", "action": "OBSERVE", "epcList": [unit("H00382")], "bizStep": "destroying",
            "disposition": "destroyed", "readPoint": warehouse,
        ]),
    ]
}
