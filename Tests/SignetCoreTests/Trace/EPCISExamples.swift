@testable import SignetCore

/// EPCIS 2.0 JSON-LD written after the examples published with the standard
/// (gs1/EPCIS, JSON/ and JSON-simple-context/), following one batch of goods
/// from commissioning to recall.
enum EPCISExamples {
    static func document(_ events: [String], schemaVersion: String = "2.0") -> [UInt8] {
        Array("""
        {
          "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"example": "http://ns.example.com/epcis/"}],
          "type": "EPCISDocument",
          "schemaVersion": "\(schemaVersion)",
          "creationDate": "2005-07-11T11:30:47.0Z",
          "epcisBody": {"eventList": [\(events.joined(separator: ",\n"))]}
        }
        """.utf8)
    }

    static let commissioning = """
        {
          "type": "ObjectEvent",
          "eventID": "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0",
          "eventTime": "2005-04-03T20:33:31.116-06:00",
          "eventTimeZoneOffset": "-06:00",
          "recordTime": "2005-04-03T20:33:32Z",
          "epcList": ["urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:id:sgtin:0614141.107346.2018"],
          "action": "ADD",
          "bizStep": "commissioning",
          "disposition": "active",
          "readPoint": {"id": "urn:epc:id:sgln:0614141.07346.1234"},
          "bizLocation": {"id": "urn:epc:id:sgln:0614141.07346.0"},
          "ilmd": {"example:bestBeforeDate": "2014-12-10", "example:batch": "XYZ"},
          "example:myField": "Example of a vendor/user extension"
        }
        """

    static let packingCarton = """
        {
          "type": "AggregationEvent",
          "eventTime": "2013-06-08T14:58:56.591Z",
          "eventTimeZoneOffset": "+02:00",
          "parentID": "urn:epc:id:sscc:0614141.1234567890",
          "childEPCs": ["urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:id:sgtin:0614141.107346.2018"],
          "action": "ADD",
          "bizStep": "packing",
          "disposition": "container_closed",
          "readPoint": {"id": "urn:epc:id:sgln:0614141.00777.0"}
        }
        """

    static let palletizing = """
        {
          "type": "AggregationEvent",
          "eventTime": "2013-06-08T15:10:00Z",
          "eventTimeZoneOffset": "+02:00",
          "parentID": "urn:epc:id:sscc:0614141.3000000002",
          "childEPCs": ["urn:epc:id:sscc:0614141.1234567890", "https://id.gs1.org/00/106141412345678915"],
          "action": "ADD",
          "bizStep": "urn:epcglobal:cbv:bizstep:packing",
          "readPoint": {"id": "urn:epc:id:sgln:0614141.00777.0"}
        }
        """

    static let shipping = """
        {
          "type": "ObjectEvent",
          "eventID": "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
          "eventTime": "2013-06-09T08:00:00.000+02:00",
          "eventTimeZoneOffset": "+02:00",
          "epcList": ["https://id.gs1.org/00/306141410000000020"],
          "action": "OBSERVE",
          "bizStep": "https://ref.gs1.org/cbv/BizStep-shipping",
          "disposition": "in_transit",
          "readPoint": {"id": "urn:epc:id:sgln:0614141.00777.0"},
          "bizTransactionList": [
            {"type": "po", "bizTransaction": "http://transaction.acme.com/po/12345678"},
            {"type": "urn:epcglobal:cbv:btt:desadv", "bizTransaction": "urn:epcglobal:cbv:bt:0614141073467:1152"},
            {"bizTransaction": "https://example.com/invoice/77"}
          ],
          "sourceList": [
            {"type": "owning_party", "source": "urn:epc:id:pgln:0614141.00777"},
            {"type": "location", "source": "urn:epc:id:sgln:0614141.00777.0"}
          ],
          "destinationList": [
            {"type": "urn:epcglobal:cbv:sdt:owning_party", "destination": "https://id.gs1.org/417/4012345002256"},
            {"type": "https://ref.gs1.org/cbv/SDT-location", "destination": "https://id.gs1.org/414/4012345000016"}
          ]
        }
        """

    static let receiving = """
        {
          "type": "ObjectEvent",
          "eventTime": "2013-06-10T09:30:00+01:00",
          "eventTimeZoneOffset": "+01:00",
          "epcList": ["urn:epc:id:sscc:0614141.3000000002"],
          "action": "OBSERVE",
          "bizStep": "receiving",
          "disposition": "in_progress",
          "readPoint": {"id": "urn:epc:id:sgln:4012345.00001.0"},
          "bizLocation": {"id": "https://id.gs1.org/414/4012345000016/254/7"}
        }
        """

    static let returning = """
        {
          "type": "ObjectEvent",
          "eventTime": "2013-07-01T10:00:00+01:00",
          "eventTimeZoneOffset": "+01:00",
          "epcList": ["https://id.gs1.org/01/10614141073464/21/2018"],
          "action": "OBSERVE",
          "bizStep": "shipping",
          "disposition": "returned",
          "readPoint": {"id": "urn:epc:id:sgln:4012345.00001.0"}
        }
        """

    static let recall = """
        {
          "type": "ObjectEvent",
          "eventTime": "2013-08-01T12:00:00Z",
          "eventTimeZoneOffset": "+00:00",
          "quantityList": [
            {"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 200.5, "uom": "KGM"},
            {"epcClass": "urn:epc:idpat:sgtin:4012345.066666.*", "quantity": 10}
          ],
          "action": "OBSERVE",
          "bizStep": "holding",
          "disposition": "recalled",
          "persistentDisposition": {"set": ["recalled"], "unset": ["urn:epcglobal:cbv:disp:sellable_accessible"]}
        }
        """

    static let correction = """
        {
          "type": "ObjectEvent",
          "eventID": "ni:///sha-256;aa49daa1fe0b773e0437e546078dc87de9c864d5b9babe84488f31478887fdf3?ver=CBV2.0",
          "eventTime": "2005-04-03T20:33:31.116000-06:00",
          "eventTimeZoneOffset": "-06:00",
          "epcList": ["urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:id:sgtin:0614141.107346.2018"],
          "action": "OBSERVE",
          "bizStep": "shipping",
          "disposition": "in_transit",
          "errorDeclaration": {
            "declarationTime": "2021-02-01T22:46:31.117000+00:00",
            "reason": "incorrect_data",
            "correctiveEventIDs": [
              "ni:///sha-256;c6407ffcac52ec159528f2b556ba4ac3844c5aa48485c1fd61643e94f0a2d678?ver=CBV2.0",
              "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
            ]
          },
          "readPoint": {"id": "urn:epc:id:sgln:0614141.07346.1234"}
        }
        """

    static let transaction = """
        {
          "type": "TransactionEvent",
          "eventTime": "2005-04-04T02:33:31.116Z",
          "eventTimeZoneOffset": "-06:00",
          "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:0614141073467:PO-1"}],
          "parentID": "urn:epc:id:sscc:0614141.1234567890",
          "epcList": ["urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:id:sgtin:0614141.107346.2018"],
          "quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.011111.4444", "quantity": 10, "uom": "KGM"}],
          "action": "ADD",
          "bizStep": "shipping",
          "disposition": "in_transit",
          "readPoint": {"id": "urn:epc:id:sgln:0614141.07346.1234"},
          "bizLocation": {"id": "urn:epc:id:sgln:0614141.00888.0"}
        }
        """

    static let transformation = """
        {
          "type": "TransformationEvent",
          "eventID": "ni:///sha-256;e65c3a997e77f34b58306da7a82ab0fc91c7820013287700f0b50345e5795b97?ver=CBV2.0",
          "eventTime": "2013-10-31T14:58:56.591Z",
          "eventTimeZoneOffset": "+02:00",
          "inputEPCList": ["urn:epc:id:sgtin:4012345.011122.25"],
          "inputQuantityList": [
            {"epcClass": "urn:epc:class:lgtin:4012345.011111.4444", "quantity": 10, "uom": "KGM"},
            {"epcClass": "urn:epc:idpat:sgtin:4012345.066666.*", "quantity": 220}
          ],
          "outputEPCList": ["urn:epc:id:sgtin:4012345.077889.25", "urn:epc:id:sgtin:4012345.077889.26"],
          "bizStep": "commissioning",
          "disposition": "in_progress",
          "readPoint": {"id": "urn:epc:id:sgln:4012345.00001.0"},
          "ilmd": {"example:bestBeforeDate": "2014-12-10", "example:batch": "XYZ"},
          "sensorElementList": [{"sensorReport": [{"type": "Temperature", "value": 26, "uom": "CEL"}]}]
        }
        """

    static let association = """
        {
          "type": "AssociationEvent",
          "eventTime": "2019-11-01T14:00:00.000+01:00",
          "eventTimeZoneOffset": "+01:00",
          "parentID": "urn:epc:id:sscc:0614141.1234567890",
          "childEPCs": ["urn:epc:id:sgtin:4012345.011122.25"],
          "childQuantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.012345.998877"}],
          "action": "ADD",
          "bizStep": "assembling",
          "readPoint": {"id": "urn:epc:id:sgln:4012345.00001.0"},
          "certificationInfo": "https://accreditation-council.example.org/certificate/ABC12345"
        }
        """

    static let all = [
        commissioning, packingCarton, palletizing, shipping, receiving, returning, recall, correction, transaction,
        transformation, association,
    ]

    static let minimalObjectEvent = """
        {"type": "ObjectEvent", "eventTime": "2020-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00",
         "action": "OBSERVE", "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"]}
        """

    /// `event` (JSON text of an object) with `changes` set and `removing` taken out.
    static func edited(_ event: String, _ changes: [String: JSONValue] = [:], removing: [String] = []) throws -> JSONValue {
        guard case .object(var fields) = try JSONValue.parse(Array(event.utf8)) else { return .null }
        fields.merge(changes) { _, new in new }
        for key in removing { fields[key] = nil }
        return .object(fields)
    }

    static let gtin = GTIN("10614141073464")!
    static let item2017 = EPCIdentifier.item(gtin, serial: "2017")
    static let item2018 = EPCIdentifier.item(gtin, serial: "2018")
    static let carton = EPCIdentifier.container(SSCC("106141412345678908")!)
    static let secondCarton = EPCIdentifier.container(SSCC("106141412345678915")!)
    static let pallet = EPCIdentifier.container(SSCC("306141410000000020")!)
    static let lot = EPCIdentifier.lot(GTIN("04012345123456")!, lot: "998877")
}
