import Foundation
import Testing
@testable import SignetCore

@Suite("EPCIS event validation")
struct EPCISEventValidationTests {
    typealias Examples = EPCISExamples

    /// The errors `event` gets as the third event of a document, with the document's path taken off the field names.
    private func errors(_ event: JSONValue) throws -> [EPCISFieldError] {
        let reading = try EPCISDocumentReader.read(Examples.document([Examples.commissioning, Examples.receiving, event.serialized()]))
        #expect((try? reading.events[0].get()) != nil)
        #expect((try? reading.events[1].get()) != nil)
        guard case .failure(let failure) = reading.events[2] else { return [] }
        #expect(failure.index == 2)
        return failure.errors.map { error in
            #expect(error.field.hasPrefix("epcisBody.eventList[2]"), "\(error)")
            return EPCISFieldError(field: String(error.field.dropFirst("epcisBody.eventList[2].".count)), message: error.message)
        }
    }

    private func fields(_ event: JSONValue) throws -> [String] {
        try errors(event).map(\.field)
    }

    private func object(_ changes: [String: JSONValue] = [:], removing: [String] = []) throws -> JSONValue {
        try Examples.edited(Examples.minimalObjectEvent, changes, removing: removing)
    }

    // MARK: Required fields per type

    @Test("every event needs type, eventTime and eventTimeZoneOffset", arguments: ["type", "eventTime", "eventTimeZoneOffset"])
    func commonRequired(_ key: String) throws {
        #expect(try errors(object(removing: [key])).contains(EPCISFieldError(field: key, message: "is required")))
    }

    @Test("ObjectEvent: action, and something to name")
    func objectRequired() throws {
        #expect(try errors(object(removing: ["action"])) == [
            EPCISFieldError(field: "action", message: "is required in an ObjectEvent (ADD, OBSERVE or DELETE)"),
        ])
        #expect(try fields(object(removing: ["epcList"])) == ["epcList"])
        #expect(try fields(object(["epcList": [], "quantityList": []])) == ["epcList"])
        // Sensor readings at a place are an event without goods.
        #expect(try errors(object(["sensorElementList": [["sensorReport": [["type": "Temperature"]]]], "readPoint": ["id": "urn:epc:id:sgln:0614141.00777.0"]], removing: ["epcList"])).isEmpty)
        #expect(try fields(object(["action": "OBSERVE", "ilmd": ["example:batch": "X"]])) == ["ilmd"])
        #expect(try errors(object(["action": "ADD", "ilmd": ["example:batch": "X"]])).isEmpty)
        #expect(try fields(object(["parentID": "urn:epc:id:sscc:0614141.1234567890"])) == ["parentID"])
    }

    @Test("AggregationEvent: parentID unless OBSERVE, children unless DELETE")
    func aggregationRequired() throws {
        let event = Examples.packingCarton
        #expect(try errors(Examples.edited(event, removing: ["parentID"])) == [
            EPCISFieldError(field: "parentID", message: "is required in an AggregationEvent unless action is OBSERVE"),
        ])
        #expect(try errors(Examples.edited(event, ["action": "OBSERVE"], removing: ["parentID"])).isEmpty)
        #expect(try fields(Examples.edited(event, ["action": "DELETE"], removing: ["parentID"])) == ["parentID"])
        #expect(try fields(Examples.edited(event, removing: ["childEPCs"])) == ["childEPCs"])
        #expect(try errors(Examples.edited(event, ["action": "DELETE"], removing: ["childEPCs"])).isEmpty)
        #expect(try fields(Examples.edited(event, ["epcList": ["urn:epc:id:sgtin:0614141.107346.2017"]])) == ["epcList"])
        #expect(try errors(Examples.edited(event, ["persistentDisposition": ["set": ["recalled"]]])) == [
            EPCISFieldError(field: "persistentDisposition", message: "is not a field of an AggregationEvent"),
        ])
    }

    @Test("AssociationEvent: parentID always, children unless DELETE")
    func associationRequired() throws {
        let event = Examples.association
        #expect(try errors(Examples.edited(event, removing: ["parentID"])) == [
            EPCISFieldError(field: "parentID", message: "is required in an AssociationEvent"),
        ])
        #expect(try fields(Examples.edited(event, ["action": "OBSERVE"], removing: ["parentID"])) == ["parentID"])
        #expect(try fields(Examples.edited(event, removing: ["childEPCs", "childQuantityList"])) == ["childEPCs"])
        #expect(try errors(Examples.edited(event, ["action": "DELETE"], removing: ["childEPCs", "childQuantityList"])).isEmpty)
        #expect(try fields(Examples.edited(event, removing: ["action"])) == ["action"])
    }

    @Test("TransactionEvent: a business transaction, and goods unless DELETE")
    func transactionRequired() throws {
        let event = Examples.transaction
        #expect(try errors(Examples.edited(event, removing: ["bizTransactionList"])) == [
            EPCISFieldError(field: "bizTransactionList", message: "a TransactionEvent needs at least one business transaction"),
        ])
        #expect(try fields(Examples.edited(event, ["bizTransactionList": []])) == ["bizTransactionList"])
        #expect(try fields(Examples.edited(event, removing: ["parentID", "epcList", "quantityList"])) == ["epcList"])
        #expect(try errors(Examples.edited(event, removing: ["epcList", "quantityList"])).isEmpty)
        #expect(try errors(Examples.edited(event, ["action": "DELETE"], removing: ["parentID", "epcList", "quantityList"])).isEmpty)
        #expect(try fields(Examples.edited(event, ["ilmd": ["example:batch": "X"]])) == ["ilmd"])
    }

    @Test("TransformationEvent: no action; an input and an output, or a transformationID")
    func transformationRequired() throws {
        let event = Examples.transformation
        #expect(try errors(Examples.edited(event, ["action": "ADD"])) == [
            EPCISFieldError(field: "action", message: "a TransformationEvent has no action; leave it out"),
        ])
        let noOutput = ["outputEPCList"]
        #expect(try fields(Examples.edited(event, removing: noOutput)) == ["outputEPCList"])
        #expect(try errors(Examples.edited(event, ["transformationID": "urn:uuid:6d9b0b8d-1c3a-4a8e-9f0e-3b1f5c2a7d10"], removing: noOutput)).isEmpty)
        let noInput = ["inputEPCList", "inputQuantityList"]
        #expect(try fields(Examples.edited(event, removing: noInput)) == ["inputEPCList"])
        #expect(try fields(Examples.edited(event, ["transformationID": "urn:uuid:6d9b0b8d-1c3a-4a8e-9f0e-3b1f5c2a7d10"], removing: noInput + noOutput)) == ["inputEPCList"])
        #expect(try fields(Examples.edited(event, ["transformationID": "not a uri"])) == ["transformationID"])
    }

    // MARK: Many errors at once

    @Test("every error in an event is reported, not just the first")
    func severalErrors() throws {
        let event = try object([
            "eventTime": "2020-01-01 00:00:00",
            "eventTimeZoneOffset": "+25:00",
            "bizStep": "shiping",
            "epcList": ["urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:id:grai:0614141.12345.400"],
            "quantityList": [["epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 0]],
            "readPoint": ["id": "urn:epc:id:sgtin:0614141.107346.2017"],
        ])
        #expect(try errors(event) == [
            EPCISFieldError(field: "eventTime", message: "\"2020-01-01 00:00:00\" is not a date and time with its offset, such as 2005-04-03T20:33:31.116-06:00 or 2005-04-04T02:33:31Z"),
            EPCISFieldError(field: "eventTimeZoneOffset", message: "\"+25:00\" is not an offset from UTC such as +01:00 or -06:00 (at most 14 hours)"),
            EPCISFieldError(field: "bizStep", message: "\"shiping\" is not a CBV 2.0 business step"),
            EPCISFieldError(field: "epcList[1]", message: "\"urn:epc:id:grai:0614141.12345.400\" is not an identifier Signet understands (sgtin, sscc, lgtin, idpat:sgtin, sgln, pgln, or their GS1 Digital Link forms)"),
            EPCISFieldError(field: "quantityList[0].quantity", message: "must be above zero"),
            EPCISFieldError(field: "readPoint.id", message: "\"urn:epc:id:sgtin:0614141.107346.2017\" is an item (SGTIN), but this field takes a location (SGLN)"),
        ])
    }

    // MARK: Offsets, identifiers, vocabulary, quantities

    static let wrongKindCases: [(String, JSONValue, String, String)] = [
        ("epcList", ["urn:epc:id:sgln:0614141.00777.0"], "epcList[0]",
         "\"urn:epc:id:sgln:0614141.00777.0\" is a location (SGLN), but this field takes an item (SGTIN) or a container (SSCC)"),
        ("epcList", ["urn:epc:class:lgtin:4012345.012345.998877"], "epcList[0]",
         "\"urn:epc:class:lgtin:4012345.012345.998877\" is a lot (LGTIN), but this field takes an item (SGTIN) or a container (SSCC)"),
        ("quantityList", [["epcClass": "urn:epc:id:sgtin:0614141.107346.2017", "quantity": 1]], "quantityList[0].epcClass",
         "\"urn:epc:id:sgtin:0614141.107346.2017\" is an item (SGTIN), but this field takes a product class (idpat:sgtin) or a lot (LGTIN)"),
        ("bizLocation", ["id": "urn:epc:id:pgln:0614141.00777"], "bizLocation.id",
         "\"urn:epc:id:pgln:0614141.00777\" is a party (PGLN), but this field takes a location (SGLN)"),
        ("sourceList", [["type": "owning_party", "source": "urn:epc:id:sscc:0614141.1234567890"]], "sourceList[0].source",
         "\"urn:epc:id:sscc:0614141.1234567890\" is a container (SSCC), but this field takes a party (PGLN) or a location (SGLN)"),
        ("destinationList", [["type": "owning_party", "destination": "urn:epc:id:grai:0614141.12345.400"]], "destinationList[0].destination",
         "\"urn:epc:id:grai:0614141.12345.400\" is not an identifier Signet understands (sgtin, sscc, lgtin, idpat:sgtin, sgln, pgln, or their GS1 Digital Link forms)"),
    ]

    static let quantityCases: [(JSONValue, String)] = [
        (["epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": -1], "quantityList[0].quantity"),
        (["epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 1, "uom": "kg"], "quantityList[0].uom"),
        (["epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 1, "uom": "KILO"], "quantityList[0].uom"),
        (["epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "uom": "KGM"], "quantityList[0].uom"),
        (["quantity": 1], "quantityList[0].epcClass"),
        (["epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": "1"], "quantityList[0].quantity"),
    ]

    static let wrongTypeCases: [(String, JSONValue, String, String)] = [
        ("epcList", "urn:epc:id:sgtin:0614141.107346.2017", "epcList", "must be an array, not a string"),
        ("epcList", [1], "epcList[0]", "must be a string, not a number"),
        ("eventTime", 1_234, "eventTime", "must be a string, not a number"),
        ("eventTimeZoneOffset", 1, "eventTimeZoneOffset", "must be a string, not a number"),
        ("type", ["ObjectEvent"], "type", "must be a string, not an array"),
        ("action", true, "action", "must be a string, not a boolean"),
        ("bizStep", ["shipping"], "bizStep", "must be a string, not an array"),
        ("readPoint", "urn:epc:id:sgln:0614141.00777.0", "readPoint", "must be an object, not a string"),
        ("readPoint", .object([:]), "readPoint.id", "is required"),
        ("quantityList", [["epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": "10"]], "quantityList[0].quantity", "must be a number, not a string"),
        ("quantityList", ["urn:epc:class:lgtin:4012345.012345.998877"], "quantityList[0]", "must be an object, not a string"),
        ("bizTransactionList", ["type": "po"], "bizTransactionList", "must be an array, not an object"),
        ("bizTransactionList", [["type": "po"]], "bizTransactionList[0].bizTransaction", "is required"),
        ("sourceList", [["type": "owning_party"]], "sourceList[0].source", "is required"),
        ("destinationList", [["destination": "urn:epc:id:pgln:0614141.00777"]], "destinationList[0].type", "is required"),
        ("ilmd", ["example:batch"], "ilmd", "must be an object, not an array"),
        ("sensorElementList", ["sensorReport": []], "sensorElementList", "must be an array, not an object"),
        ("errorDeclaration", "incorrect_data", "errorDeclaration", "must be an object, not a string"),
        ("errorDeclaration", ["reason": "incorrect_data"], "errorDeclaration.declarationTime", "is required"),
        ("errorDeclaration", ["declarationTime": "2021-02-01T22:46:31Z", "correctiveEventIDs": "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"],
         "errorDeclaration.correctiveEventIDs", "must be an array, not a string"),
        ("persistentDisposition", ["set": "recalled"], "persistentDisposition.set", "must be an array, not a string"),
        ("eventID", 42, "eventID", "must be a string, not a number"),
        ("eventID", "event-42", "eventID", "\"event-42\" is not an absolute URI (such as urn:uuid:…, ni:///sha-256;… or https://…)"),
        ("eventID", "urn:uuid:has space", "eventID", "\"urn:uuid:has space\" is not an absolute URI (such as urn:uuid:…, ni:///sha-256;… or https://…)"),
        ("eventID", .string("urn:uuid:" + String(repeating: "a", count: 492)), "eventID", "is longer than 500 bytes"),
    ]


    @Test("bad time zone offsets", arguments: ["+15:00", "+14:30", "01:00", "+1:00", "Z", "+01:00:00", "UTC"])
    func badOffsets(_ offset: String) throws {
        #expect(try fields(object(["eventTimeZoneOffset": .string(offset)])) == ["eventTimeZoneOffset"])
    }

    @Test("identifiers of the wrong kind for their field", arguments: Self.wrongKindCases)
    func wrongKinds(_ key: String, _ value: JSONValue, _ field: String, _ message: String) throws {
        #expect(try errors(object([key: value])) == [EPCISFieldError(field: field, message: message)])
    }

    @Test("vocabulary values", arguments: [
        ("bizStep", "urn:epcglobal:cbv:bizstep:shiping", "\"urn:epcglobal:cbv:bizstep:shiping\" is not a CBV 2.0 business step"),
        ("disposition", "recall", "\"recall\" is not a CBV 2.0 disposition"),
        ("disposition", "https://ref.gs1.org/cbv/BizStep-shipping", "\"https://ref.gs1.org/cbv/BizStep-shipping\" is not a CBV 2.0 disposition"),
        ("bizStep", "ship ping:x", "\"ship ping:x\" is neither a CBV 2.0 business step nor an absolute URI of your own vocabulary"),
    ])
    func vocabulary(_ key: String, _ value: String, _ message: String) throws {
        #expect(try errors(object([key: .string(value)])) == [EPCISFieldError(field: key, message: message)])
    }

    @Test("vocabulary inside lists and objects")
    func nestedVocabulary() throws {
        #expect(try fields(object(["sourceList": [["type": "owner", "source": "urn:epc:id:pgln:0614141.00777"]]])) == ["sourceList[0].type"])
        #expect(try fields(object(["bizTransactionList": [["type": "purchase_order", "bizTransaction": "urn:example:po:1"]]])) == ["bizTransactionList[0].type"])
        #expect(try fields(object(["errorDeclaration": ["declarationTime": "2021-02-01T22:46:31Z", "reason": "wrong"]])) == ["errorDeclaration.reason"])
        #expect(try fields(object(["persistentDisposition": ["set": ["recalled", "gone"]]])) == ["persistentDisposition.set[1]"])
        #expect(try fields(object(["persistentDisposition": .object([:])])) == ["persistentDisposition"])
    }

    @Test("quantities", arguments: Self.quantityCases)
    func quantities(_ quantity: JSONValue, _ field: String) throws {
        #expect(try fields(object(["quantityList": [quantity]])) == [field])
    }

    // MARK: JSON types

    @Test("a value of the wrong JSON type is named with what was sent", arguments: Self.wrongTypeCases)
    func wrongTypes(_ key: String, _ value: JSONValue, _ field: String, _ message: String) throws {
        #expect(try errors(object([key: value])) == [EPCISFieldError(field: field, message: message)])
    }

    @Test("an eventID of 500 characters is accepted")
    func longestEventID() throws {
        #expect(try errors(object(["eventID": .string("urn:uuid:" + String(repeating: "a", count: 491))])).isEmpty)
    }

    @Test("an event that is not an object")
    func notAnObject() throws {
        let reading = try EPCISDocumentReader.read(Examples.document([Examples.commissioning, "\"ObjectEvent\""]))
        guard case .failure(let failure) = reading.events[1] else { Issue.record("a string was read as an event"); return }
        #expect(failure == EPCISEventErrors(index: 1, errors: [
            EPCISFieldError(field: "epcisBody.eventList[1]", message: "must be an event object, not a string"),
        ]))
    }

    @Test("an unknown event type")
    func unknownType() throws {
        #expect(try errors(object(["type": "example:SensorEvent"])) == [
            EPCISFieldError(field: "type", message: "\"example:SensorEvent\" is not an EPCIS event type Signet reads (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent)"),
        ])
    }

    // MARK: Bounds and storage

    @Test("lists longer than 100,000 entries are refused")
    func listBound() throws {
        let epcs = JSONValue.array(Array(repeating: "urn:epc:id:sgtin:0614141.107346.2017", count: 100_001))
        #expect(try errors(object(["epcList": epcs])) == [
            EPCISFieldError(field: "epcList", message: "has 100001 entries; at most 100000 are accepted"),
        ])
    }

    @Test("strings longer than 2,048 bytes are refused")
    func stringBound() throws {
        let long = JSONValue.string("urn:epc:id:sgtin:0614141.107346." + String(repeating: "1", count: 2_048))
        #expect(try fields(object(["epcList": [long]])) == ["epcList[0]"])
    }

    @Test("long values are cut short in messages")
    func longValueInMessage() throws {
        let message = try #require(try errors(object(["bizStep": .string(String(repeating: "x", count: 1_000))])).first?.message)
        #expect(message.count < 200)
    }

    @Test("a NUL character, which jsonb cannot store, is refused wherever it is")
    func nulCharacter() throws {
        #expect(try errors(object(["example:note": ["a", "b\u{0}c"]])) == [
            EPCISFieldError(field: "example:note[1]", message: "contains a NUL character (\\u0000), which Signet cannot store"),
        ])
    }

    @Test("extensions, @context and standard fields Signet does not read are allowed")
    func extensions() throws {
        #expect(try errors(object([
            "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
            "example:myField": ["nested": [1, 2, ["deeper": true]]],
            "certificationInfo": ["https://example.org/certificate/1"],
            "recordTime": "not checked: the repository sets it",
            "sensorElementList": [["sensorReport": [["type": "Temperature", "value": 26, "uom": "CEL"]]]],
        ])).isEmpty)
    }
}
