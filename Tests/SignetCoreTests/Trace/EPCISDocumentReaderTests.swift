import Foundation
import Testing
@testable import SignetCore

@Suite("EPCIS documents")
struct EPCISDocumentReaderTests {
    typealias Examples = EPCISExamples

    private func readExamples() throws -> [EPCISEvent] {
        let reading = try EPCISDocumentReader.read(Examples.document(Examples.all))
        #expect(reading.eventErrors.isEmpty, "\(reading.eventErrors)")
        #expect(reading.schemaVersion == "2.0")
        #expect(reading.creationDate == Date(timeIntervalSince1970: 1_121_081_447))
        return reading.validEvents
    }

    private func gln(_ digits: String) throws -> GLN {
        try #require(GLN(digits))
    }

    @Test("commissioning: an ObjectEvent adding serialised units, with ILMD and an extension")
    func commissioning() throws {
        let event = try readExamples()[0]
        #expect(event.type == .object)
        #expect(event.eventID == "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0")
        #expect(abs(event.eventTime.timeIntervalSince1970 - 1_112_582_011.116) < 0.000_5)
        #expect(event.eventTimeZoneOffset == "-06:00")
        #expect(event.action == .add)
        #expect(event.bizStep == "commissioning")
        #expect(event.disposition == "active")
        #expect(event.epcList == [Examples.item2017, Examples.item2018])
        #expect(event.readPoint == .location(try gln("0614141073467"), extension: "1234"))
        #expect(event.bizLocation == .location(try gln("0614141073467"), extension: nil))
        #expect(event.ilmd == ["example:bestBeforeDate": "2014-12-10", "example:batch": "XYZ"])
        #expect(event.allIdentifiers == [Examples.item2017, Examples.item2018])
        // Kept for storage: what Signet does not read, and what the repository replaces (recordTime).
        guard case .object(let stored) = event.json else { Issue.record("json is not an object"); return }
        #expect(stored["example:myField"] == "Example of a vendor/user extension")
        #expect(stored["recordTime"] == "2005-04-03T20:33:32Z")
    }

    @Test("packing units into a carton, and cartons onto a pallet")
    func aggregation() throws {
        let events = try readExamples()
        let carton = events[1]
        #expect(carton.type == .aggregation)
        #expect(carton.action == .add)
        #expect(carton.bizStep == "packing")
        #expect(carton.disposition == "container_closed")
        #expect(carton.parentID == Examples.carton)
        #expect(carton.childEPCs == [Examples.item2017, Examples.item2018])
        #expect(carton.allIdentifiers == [Examples.carton, Examples.item2017, Examples.item2018])

        let pallet = events[2]
        #expect(pallet.parentID == Examples.pallet)
        #expect(pallet.childEPCs == [Examples.carton, Examples.secondCarton])
        #expect(pallet.bizStep == "packing")
        #expect(pallet.disposition == nil)
    }

    @Test("shipping: business transactions, sources and destinations in every spelling")
    func shipping() throws {
        let event = try readExamples()[3]
        #expect(event.eventID == "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6")
        #expect(event.action == .observe)
        #expect(event.bizStep == "shipping")
        #expect(event.disposition == "in_transit")
        #expect(event.epcList == [Examples.pallet])
        #expect(event.bizTransactionList == [
            EPCISBizTransaction(type: "po", id: "http://transaction.acme.com/po/12345678"),
            EPCISBizTransaction(type: "desadv", id: "urn:epcglobal:cbv:bt:0614141073467:1152"),
            EPCISBizTransaction(type: nil, id: "https://example.com/invoice/77"),
        ])
        #expect(event.sourceList == [
            EPCISSourceDestination(type: "owning_party", id: .party(try gln("0614141007776"))),
            EPCISSourceDestination(type: "location", id: .location(try gln("0614141007776"), extension: nil)),
        ])
        #expect(event.destinationList == [
            EPCISSourceDestination(type: "owning_party", id: .party(try gln("4012345002256"))),
            EPCISSourceDestination(type: "location", id: .location(try gln("4012345000016"), extension: nil)),
        ])
        // Places and parties are not goods.
        #expect(event.allIdentifiers == [Examples.pallet])
    }

    @Test("receiving and returning")
    func receivingAndReturning() throws {
        let events = try readExamples()
        #expect(events[4].bizStep == "receiving")
        #expect(events[4].disposition == "in_progress")
        #expect(events[4].bizLocation == .location(try gln("4012345000016"), extension: "7"))
        #expect(events[5].disposition == "returned")
        #expect(events[5].epcList == [Examples.item2018])
    }

    @Test("recall: a lot and a product class by quantity, with a persistent disposition")
    func recall() throws {
        let event = try readExamples()[6]
        let product = try #require(EPCIdentifier("urn:epc:idpat:sgtin:4012345.066666.*"))
        #expect(event.disposition == "recalled")
        #expect(event.epcList.isEmpty)
        #expect(event.quantityList == [
            EPCISQuantity(epcClass: Examples.lot, quantity: 200.5, uom: "KGM"),
            EPCISQuantity(epcClass: product, quantity: 10, uom: nil),
        ])
        #expect(event.persistentDispositionSet == ["recalled"])
        #expect(event.persistentDispositionUnset == ["sellable_accessible"])
        #expect(event.allIdentifiers == [Examples.lot, product])
    }

    @Test("a correction: the error declaration")
    func errorDeclaration() throws {
        let declaration = try #require(try readExamples()[7].errorDeclaration)
        #expect(abs(declaration.declarationTime.timeIntervalSince1970 - 1_612_219_591.117) < 0.000_5)
        #expect(declaration.reason == "incorrect_data")
        #expect(declaration.correctiveEventIDs == [
            "ni:///sha-256;c6407ffcac52ec159528f2b556ba4ac3844c5aa48485c1fd61643e94f0a2d678?ver=CBV2.0",
            "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
        ])
    }

    @Test("a TransactionEvent")
    func transaction() throws {
        let event = try readExamples()[8]
        let lot = try #require(EPCIdentifier("urn:epc:class:lgtin:4012345.011111.4444"))
        #expect(event.type == .transaction)
        #expect(event.action == .add)
        #expect(event.bizTransactionList == [EPCISBizTransaction(type: "po", id: "urn:epcglobal:cbv:bt:0614141073467:PO-1")])
        #expect(event.parentID == Examples.carton)
        #expect(event.quantityList == [EPCISQuantity(epcClass: lot, quantity: 10, uom: "KGM")])
        #expect(event.allIdentifiers == [Examples.item2017, Examples.item2018, Examples.carton, lot])
    }

    @Test("a TransformationEvent: no action, inputs and outputs")
    func transformation() throws {
        let event = try readExamples()[9]
        #expect(event.type == .transformation)
        #expect(event.action == nil)
        #expect(event.inputEPCList == [try #require(EPCIdentifier("urn:epc:id:sgtin:4012345.011122.25"))])
        #expect(event.inputQuantityList.count == 2)
        #expect(event.outputEPCList.count == 2)
        #expect(event.ilmd != nil)
        #expect(event.allIdentifiers.count == 5)
    }

    @Test("an AssociationEvent, with a quantity that gives no amount")
    func association() throws {
        let event = try readExamples()[10]
        #expect(event.type == .association)
        #expect(event.parentID == Examples.carton)
        #expect(event.childEPCs == [try #require(EPCIdentifier("urn:epc:id:sgtin:4012345.011122.25"))])
        #expect(event.childQuantityList == [EPCISQuantity(epcClass: Examples.lot)])
    }

    @Test("the stored JSON is the event as sent")
    func storedJSON() throws {
        let event = try readExamples()[3]
        let sent = try JSONValue.parse(Array(Examples.shipping.utf8))
        #expect(event.json == sent)
        #expect(try JSONValue.parse(Array(event.json.serialized().utf8)) == sent)
    }

    @Test("the Digital Link and URN forms of one item are one identifier")
    func digitalLinkAndURN() throws {
        let json = try Examples.edited(Examples.minimalObjectEvent, [
            "epcList": ["urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017", "/01/10614141073464/21/2017"],
        ])
        let event = try EPCISDocumentReader.event(json, index: 0).get()
        #expect(event.epcList == [Examples.item2017, Examples.item2017, Examples.item2017])
        #expect(event.allIdentifiers == [Examples.item2017])
    }

    @Test("the three spellings of a business step and a disposition give the bare word", arguments: [
        ("shipping", "in_transit"),
        ("urn:epcglobal:cbv:bizstep:shipping", "urn:epcglobal:cbv:disp:in_transit"),
        ("https://ref.gs1.org/cbv/BizStep-shipping", "https://ref.gs1.org/cbv/Disp-in_transit"),
    ])
    func vocabularySpellings(_ bizStep: String, _ disposition: String) throws {
        let json = try Examples.edited(Examples.minimalObjectEvent, ["bizStep": .string(bizStep), "disposition": .string(disposition)])
        let event = try EPCISDocumentReader.event(json, index: 0).get()
        #expect(event.bizStep == "shipping")
        #expect(event.disposition == "in_transit")
    }

    @Test("a company's own business step is kept as sent")
    func ownVocabulary() throws {
        let json = try Examples.edited(Examples.minimalObjectEvent, ["bizStep": "https://example.com/bizstep/bottling"])
        #expect(try EPCISDocumentReader.event(json, index: 0).get().bizStep == "https://example.com/bizstep/bottling")
    }

    @Test("null is as good as absent for optional fields")
    func nullFields() throws {
        let json = try Examples.edited(Examples.minimalObjectEvent, ["bizStep": nil, "eventID": nil, "quantityList": nil])
        let event = try EPCISDocumentReader.event(json, index: 0).get()
        #expect(event.bizStep == nil)
        #expect(event.eventID == nil)
    }

    @Test("a bad event among good ones leaves the others read")
    func badAmongGood() throws {
        let bad = Examples.minimalObjectEvent.replacingOccurrences(of: "\"OBSERVE\"", with: "\"SEEN\"")
        let reading = try EPCISDocumentReader.read(Examples.document([Examples.commissioning, bad, Examples.receiving]))
        #expect(reading.events.count == 3)
        #expect((try? reading.events[0].get()) != nil)
        #expect((try? reading.events[2].get()) != nil)
        guard case .failure(let errors) = reading.events[1] else { Issue.record("the bad event was read"); return }
        #expect(errors.index == 1)
        #expect(errors.errors == [
            EPCISFieldError(field: "epcisBody.eventList[1].action", message: "\"SEEN\" is not an action (ADD, OBSERVE or DELETE)"),
        ])
        #expect(reading.validEvents.count == 2)
        #expect(reading.eventErrors == [errors])
    }

    @Test("an event read on its own names its fields without the document's path")
    func singleEvent() throws {
        let json = try Examples.edited(Examples.minimalObjectEvent, removing: ["eventTime"])
        guard case .failure(let errors) = EPCISDocumentReader.event(json, index: 0, path: "") else {
            Issue.record("an event without eventTime was read")
            return
        }
        #expect(errors.errors == [EPCISFieldError(field: "eventTime", message: "is required")])
    }

    @Test("an empty event list is a document with no events")
    func emptyDocument() throws {
        #expect(try EPCISDocumentReader.read(Examples.document([])).events.isEmpty)
    }

    @Test("10,000 events are read; 10,001 are refused")
    func eventLimit() throws {
        let events = Array(repeating: Examples.minimalObjectEvent, count: 10_000)
        let reading = try EPCISDocumentReader.read(Examples.document(events))
        #expect(reading.validEvents.count == 10_000)

        #expect(throws: EPCISFieldError(field: "epcisBody.eventList", message: "has 10001 events; at most 10000 are accepted in one document")) {
            try EPCISDocumentReader.read(Examples.document(events + [Examples.minimalObjectEvent]))
        }
        #expect(throws: EPCISFieldError.self) {
            try EPCISDocumentReader.read(Examples.document(Array(events.prefix(3))), maximumEvents: 2)
        }
    }

    @Test("schema versions of EPCIS 2 are read", arguments: ["2.0", "2.0.1", "2.1", "2"])
    func supportedVersions(_ version: String) throws {
        _ = try EPCISDocumentReader.read(Examples.document([Examples.minimalObjectEvent], schemaVersion: version))
    }

    @Test("other schema versions are refused", arguments: ["1.2", "3.0", "2.x", "", "2.", "20", "2.0.0.0.0"])
    func unsupportedVersions(_ version: String) {
        #expect(throws: EPCISFieldError.self) {
            try EPCISDocumentReader.read(Examples.document([Examples.minimalObjectEvent], schemaVersion: version))
        }
    }

    @Test("document-level problems are thrown, naming the field", arguments: [
        ("", ""),
        ("[1, 2]", ""),
        (#"{"type": "EPCISQueryDocument", "schemaVersion": "2.0", "creationDate": "2020-01-01T00:00:00Z", "epcisBody": {"eventList": []}}"#, "type"),
        (#"{"schemaVersion": "2.0", "creationDate": "2020-01-01T00:00:00Z", "epcisBody": {"eventList": []}}"#, "type"),
        (#"{"type": "EPCISDocument", "creationDate": "2020-01-01T00:00:00Z", "epcisBody": {"eventList": []}}"#, "schemaVersion"),
        (#"{"type": "EPCISDocument", "schemaVersion": 2.0, "creationDate": "2020-01-01T00:00:00Z", "epcisBody": {"eventList": []}}"#, "schemaVersion"),
        (#"{"type": "EPCISDocument", "schemaVersion": "2.0", "epcisBody": {"eventList": []}}"#, "creationDate"),
        (#"{"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "yesterday", "epcisBody": {"eventList": []}}"#, "creationDate"),
        (#"{"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2020-01-01T00:00:00Z"}"#, "epcisBody"),
        (#"{"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2020-01-01T00:00:00Z", "epcisBody": []}"#, "epcisBody"),
        (#"{"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2020-01-01T00:00:00Z", "epcisBody": {}}"#, "epcisBody.eventList"),
        (#"{"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2020-01-01T00:00:00Z", "epcisBody": {"eventList": {}}}"#, "epcisBody.eventList"),
    ])
    func documentErrors(_ text: String, _ field: String) {
        do {
            _ = try EPCISDocumentReader.read(Array(text.utf8))
            Issue.record("read: \(text)")
        } catch {
            #expect(error.field == field, "\(error)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test("a deeply nested document is refused, not a crash")
    func deepDocument() {
        let deep = Examples.minimalObjectEvent.replacingOccurrences(
            of: "\"action\"",
            with: "\"example:deep\": " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + ", \"action\"")
        do {
            _ = try EPCISDocumentReader.read(Examples.document([deep]))
            Issue.record("a 10,000-deep document was read")
        } catch {
            #expect(error == EPCISFieldError(field: "", message: "arrays and objects nest more than 64 deep"))
        }
    }
}
