import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
import SignetServer
import Testing

@Suite("EPCIS capture and query")
struct EPCISCaptureTests {
    static let transaction = """
        {"type": "TransactionEvent", "eventID": "urn:uuid:7a1c0000-0000-4000-8000-000000000004",
         "eventTime": "2027-03-02T10:00:00Z", "eventTimeZoneOffset": "+00:00", "action": "ADD",
         "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:PO-1"}],
         "epcList": ["\(EPCISFixture.honey("H00010"))"], "bizStep": "shipping", "disposition": "in_transit"}
        """
    static let transformation = """
        {"type": "TransformationEvent", "eventID": "urn:uuid:7a1c0000-0000-4000-8000-000000000005",
         "eventTime": "2027-03-02T11:00:00Z", "eventTimeZoneOffset": "+00:00",
         "inputEPCList": ["\(EPCISFixture.honey("H00011"))"],
         "outputQuantityList": [{"epcClass": "\(EPCISFixture.honeyLot)", "quantity": 2, "uom": "KGM"}],
         "bizStep": "repackaging", "ilmd": {"example:bestBefore": "2029-01-01"}}
        """
    static let association = """
        {"type": "AssociationEvent", "eventID": "urn:uuid:7a1c0000-0000-4000-8000-000000000006",
         "eventTime": "2027-03-02T12:00:00Z", "eventTimeZoneOffset": "+00:00", "action": "ADD",
         "parentID": "\(EPCISFixture.honey("H00012"))", "childEPCs": ["\(EPCISFixture.honey("H00013"))"], "bizStep": "assembling"}
        """

    @Test("each event type is captured and answered by the query as sent, with the record time Signet set")
    func roundTrip() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let document = EPCISFixture.document([
                    EPCISFixture.commissioning("urn:uuid:7a1c0000-0000-4000-8000-000000000001", ["H00001", "H00002"].map(EPCISFixture.honey)),
                    EPCISFixture.packing("urn:uuid:7a1c0000-0000-4000-8000-000000000002", parent: EPCISFixture.sscc(1),
                                         ["H00001", "H00002"].map(EPCISFixture.honey), at: "2027-03-01T10:00:00+01:00"),
                    Self.transaction, Self.transformation, Self.association,
                ])
                let captured = try await client.capture(document, key: key)
                #expect(captured.status == .accepted)
                #expect(captured.headers[.location]?.hasPrefix("/epcis/capture/") == true)
                #expect(captured.headers[HTTPField.Name("GS1-EPCIS-Version")!] == "2.0.0")
                #expect(captured.json["success"] as? Bool == true && captured.json["captured"] as? Int == 5)
                let status = try await client.api(.get, try #require(captured.headers[.location]), key: key)
                #expect(status.status == .ok && status.json["running"] as? Bool == false && status.json["captured"] as? Int == 5)

                for type in EPCISEventType.allCases {
                    let (response, events) = try await client.queryEvents("?eventType=\(type.rawValue)", key: key)
                    #expect(response.status == .ok && response.headers[.contentType] == "application/ld+json")
                    #expect(events.count == 1, "\(type.rawValue)")
                    #expect(events.first?["type"] as? String == type.rawValue)
                    #expect((events.first?["recordTime"] as? String)?.hasSuffix("Z") == true)
                }
                let (_, transformations) = try await client.queryEvents("?eventType=TransformationEvent", key: key)
                #expect((transformations.first?["ilmd"] as? [String: Any])?["example:bestBefore"] as? String == "2029-01-01")

                let one = try await client.api(.get, "/epcis/events/urn:uuid:7a1c0000-0000-4000-8000-000000000004", key: key)
                #expect(one.status == .ok && one.text.contains("PO-1"))
                #expect(try await client.api(.get, "/epcis/events/urn:uuid:nope", key: key).status == .notFound)
            }
        }
    }

    @Test("a re-sent event is reported as a duplicate and stored once; an event without an eventID is known by its hash")
    func duplicates() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let anonymous = """
                    {"type": "ObjectEvent", "eventTime": "2027-03-03T09:00:00Z", "eventTimeZoneOffset": "+00:00",
                     "epcList": ["\(EPCISFixture.honey("H00020"))"], "action": "OBSERVE", "bizStep": "inspecting"}
                    """
                let document = EPCISFixture.document([
                    EPCISFixture.commissioning("urn:uuid:dup-0001", [EPCISFixture.honey("H00020")]), anonymous,
                ])
                let first = try await client.capture(document, key: key)
                #expect(first.json["captured"] as? Int == 2 && (first.json["duplicates"] as? [String]) == [])
                let again = try await client.capture(document, key: key)
                #expect(again.status == .accepted && again.json["captured"] as? Int == 0)
                let duplicates = try #require(again.json["duplicates"] as? [String])
                #expect(duplicates.count == 2 && duplicates.contains("urn:uuid:dup-0001"))
                #expect(duplicates.contains { $0.hasPrefix("ni:///sha-256;") })
                let stored = try await database.withClient { try await $0.scalar("SELECT count(*)::int FROM trace_events", as: Int.self) }
                #expect(stored == 2)
                // The hash is the stored event's id, so it can be fetched by it.
                let hashID = try #require(duplicates.first { $0.hasPrefix("ni:") })
                let fetched = try await client.api(
                    .get, "/epcis/events/" + PercentEncoding.encodePathSegment(hashID), key: key)
                #expect(fetched.status == .ok && fetched.text.contains("inspecting"))
            }
        }
    }

    @Test("one bad event rolls the whole document back, naming the event and field; proceed keeps the good ones")
    func rollback() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let missingTime = """
                    {"type": "ObjectEvent", "eventID": "urn:uuid:bad-0002", "eventTimeZoneOffset": "+01:00",
                     "epcList": ["\(EPCISFixture.honey("H00031"))"], "action": "OBSERVE"}
                    """
                let unknownSerial = EPCISFixture.commissioning("urn:uuid:bad-0003", [EPCISFixture.honey("NOSUCH")])
                let document = EPCISFixture.document([
                    EPCISFixture.commissioning("urn:uuid:good-0001", [EPCISFixture.honey("H00030")]), missingTime, unknownSerial,
                ])
                let refused = try await client.capture(document, key: key)
                #expect(refused.status == .unprocessableContent)
                #expect(refused.headers[.contentType] == "application/problem+json")
                let fields = ((refused.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
                #expect(fields.contains("epcisBody.eventList[1].eventTime"))
                #expect(fields.contains("epcisBody.eventList[2].epcList[0]"))
                #expect(try await database.withClient { try await $0.scalar("SELECT count(*)::int FROM trace_events", as: Int.self) } == 0)

                let proceeded = try await client.capture(document, key: key, behaviour: "proceed")
                #expect(proceeded.status == .accepted)
                #expect(proceeded.json["captured"] as? Int == 1 && proceeded.json["success"] as? Bool == false)
                let indexes = Set(((proceeded.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["index"] as? Int })
                #expect(indexes == [1, 2])
                #expect(try await database.withClient { try await $0.scalar("SELECT event_id FROM trace_events", as: String.self) } == "urn:uuid:good-0001")

                #expect(try await client.capture(document, key: key, behaviour: "maybe").status == .badRequest)
                #expect(try await client.capture("{\"type\": \"EPCISDocument\"", key: key).status == .badRequest)
                let wrongVersion = try await client.api(.post, "/epcis/capture", key: key, json: document,
                                                        headers: [HTTPField.Name("GS1-EPCIS-Version")!: "1.2"])
                #expect(wrongVersion.status == .notAcceptable)
            }
        }
    }

    @Test("shipping a pallet reaches every seal in its cartons; an unpacked carton is left out of what follows")
    func aggregationInference() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let cartonA = ["H00041", "H00042", "H00043"].map(EPCISFixture.honey)
                let cartonB = ["H00044", "H00045"].map(EPCISFixture.honey)
                let document = EPCISFixture.document([
                    EPCISFixture.packing("urn:uuid:agg-0001", parent: EPCISFixture.sscc(11), cartonA, at: "2027-03-01T10:00:00+01:00"),
                    EPCISFixture.packing("urn:uuid:agg-0002", parent: EPCISFixture.sscc(12), cartonB, at: "2027-03-01T10:01:00+01:00"),
                    // The pallet in its Digital Link form, the cartons as URNs: one container each way.
                    EPCISFixture.packing("urn:uuid:agg-0003", parent: "https://id.gs1.org/00/037601230000000208",
                                         [EPCISFixture.sscc(11), EPCISFixture.sscc(12)], at: "2027-03-01T10:05:00+01:00"),
                    EPCISFixture.shipping("urn:uuid:agg-0004", [EPCISFixture.sscc(20)], to: EPCISFixture.distributorGLN,
                                          at: "2027-03-01T12:00:00+01:00"),
                ])
                let captured = try await client.capture(document, key: key)
                #expect(captured.json["captured"] as? Int == 4, "\(captured.text)")
                let reached = try await Self.sealsOf(event: "urn:uuid:agg-0004", database)
                #expect(reached == ["H00041", "H00042", "H00043", "H00044", "H00045"])
                let states = try await Self.states(database)
                #expect(states["H00041"]?.disposition == "in_transit" && states["H00045"]?.holder == EPCISFixture.distributorGLN)

                // Carton B leaves the pallet at the distributor; the pallet goes on to a retailer without it.
                let later = EPCISFixture.document([
                    EPCISFixture.receiving("urn:uuid:agg-0005", [EPCISFixture.sscc(20)], at: EPCISFixture.distributorGLN,
                                           time: "2027-03-02T08:00:00+01:00"),
                    EPCISFixture.packing("urn:uuid:agg-0006", parent: EPCISFixture.sscc(20), [EPCISFixture.sscc(12)],
                                         at: "2027-03-02T09:00:00+01:00", action: "DELETE"),
                    EPCISFixture.shipping("urn:uuid:agg-0007", [EPCISFixture.sscc(20)], to: EPCISFixture.retailerGLN,
                                          at: "2027-03-02T10:00:00+01:00"),
                ])
                #expect(try await client.capture(later, key: key).json["captured"] as? Int == 3)
                #expect(try await Self.sealsOf(event: "urn:uuid:agg-0007", database) == ["H00041", "H00042", "H00043"])
                #expect(try await Self.sealsOf(event: "urn:uuid:agg-0006", database) == ["H00044", "H00045"])
                let after = try await Self.states(database)
                #expect(after["H00041"]?.holder == EPCISFixture.retailerGLN)
                #expect(after["H00044"]?.holder == EPCISFixture.distributorGLN && after["H00044"]?.disposition == "in_progress")

                // A late event about the pallet, timed before carton B left it, still reaches carton B.
                let late = EPCISFixture.document([
                    EPCISFixture.receiving("urn:uuid:agg-0008", [EPCISFixture.sscc(20)], at: EPCISFixture.distributorGLN,
                                           time: "2027-03-02T08:30:00+01:00"),
                ])
                #expect(try await client.capture(late, key: key).json["captured"] as? Int == 1)
                #expect(try await Self.sealsOf(event: "urn:uuid:agg-0008", database).count == 5)
                // Its older time changes no seal's current state.
                #expect(try await Self.states(database)["H00041"]?.holder == EPCISFixture.retailerGLN)

                // The query finds the shipment by the pallet in either form and by what it carries as parentID.
                let (_, byURN) = try await client.queryEvents("?MATCH_epc=\(EPCISFixture.sscc(20))&EQ_bizStep=shipping", key: key)
                #expect(byURN.count == 2)
                let (_, byLink) = try await client.queryEvents(
                    "?MATCH_anyEPC=https://id.gs1.org/00/037601230000000208&eventType=AggregationEvent", key: key)
                #expect(byLink.compactMap { $0["eventID"] as? String } == ["urn:uuid:agg-0003", "urn:uuid:agg-0006"])
            }
        }
    }

    @Test("packing that arrives after the shipment of its pallet still reaches the shipment; a late unpacking takes its units back out")
    func packingOutOfOrder() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                // The warehouse's shipment reaches Signet first, the packing line's events an hour later.
                #expect(try await client.capture(EPCISFixture.document([
                    EPCISFixture.shipping("urn:uuid:late-0003", [EPCISFixture.sscc(50)], to: EPCISFixture.distributorGLN,
                                          at: "2027-03-01T12:00:00+01:00"),
                ]), key: key).json["captured"] as? Int == 1)
                #expect(try await Self.sealsOf(event: "urn:uuid:late-0003", database).isEmpty)
                #expect(try await client.capture(EPCISFixture.document([
                    EPCISFixture.packing("urn:uuid:late-0001", parent: EPCISFixture.sscc(51), ["H00131", "H00132"].map(EPCISFixture.honey),
                                         at: "2027-03-01T10:00:00+01:00"),
                    EPCISFixture.packing("urn:uuid:late-0002", parent: EPCISFixture.sscc(50), [EPCISFixture.sscc(51)],
                                         at: "2027-03-01T11:00:00+01:00"),
                ]), key: key).json["captured"] as? Int == 2)
                #expect(try await Self.sealsOf(event: "urn:uuid:late-0003", database) == ["H00131", "H00132"])
                let states = try await Self.states(database)
                #expect(states["H00131"]?.disposition == "in_transit" && states["H00132"]?.holder == EPCISFixture.distributorGLN)

                // The carton turns out to have left the pallet before the shipment.
                #expect(try await client.capture(EPCISFixture.document([
                    EPCISFixture.packing("urn:uuid:late-0004", parent: EPCISFixture.sscc(50), [EPCISFixture.sscc(51)],
                                         at: "2027-03-01T11:30:00+01:00", action: "DELETE"),
                ]), key: key).json["captured"] as? Int == 1)
                #expect(try await Self.sealsOf(event: "urn:uuid:late-0003", database).isEmpty)
                #expect(try await Self.sealsOf(event: "urn:uuid:late-0004", database) == ["H00131", "H00132"])
                let after = try await Self.states(database)
                #expect(after["H00131"]?.disposition == "in_progress" && after["H00131"]?.holder == nil)
            }
        }
    }

    @Test("a DL URI and an EPC URN of one item name one seal, and a pattern or the other form finds both events")
    func bothForms() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let document = EPCISFixture.document([
                    EPCISFixture.commissioning("urn:uuid:form-0001", [EPCISFixture.honey("H00050")]),
                    EPCISFixture.returning("urn:uuid:form-0002", [EPCISFixture.honeyLink("H00050")], time: "2027-03-05T09:00:00+01:00"),
                ])
                #expect(try await client.capture(document, key: key).json["captured"] as? Int == 2)
                #expect(try await Self.sealsOf(event: "urn:uuid:form-0002", database) == ["H00050"])
                #expect(try await Self.states(database)["H00050"]?.disposition == "returned")
                for match in [EPCISFixture.honey("H00050"), EPCISFixture.honeyLink("H00050"), EPCISFixture.honeyClass] {
                    let (_, events) = try await client.queryEvents("?MATCH_epc=\(match)", key: key)
                    #expect(events.count == 2, "\(match)")
                }
                let (_, none) = try await client.queryEvents("?MATCH_epc=\(EPCISFixture.honey("H00051"))", key: key)
                #expect(none.isEmpty)
                // Stored as sent; translated on request.
                let (_, asSent) = try await client.queryEvents("?EQ_eventID=urn:uuid:form-0001", key: key)
                #expect(asSent.first?["epcList"] as? [String] == [EPCISFixture.honey("H00050")])
                let (translated, asLinks) = try await client.queryEvents(
                    "?EQ_eventID=urn:uuid:form-0001", key: key, headers: [HTTPField.Name("GS1-EPC-Format")!: "Always_GS1_Digital_Link"])
                #expect(translated.headers[HTTPField.Name("GS1-EPC-Format")!] == "Always_GS1_Digital_Link")
                #expect(asLinks.first?["epcList"] as? [String] == [EPCISFixture.honeyLink("H00050")])
                #expect((asLinks.first?["readPoint"] as? [String: Any])?["id"] as? String == "https://id.gs1.org/414/3760123000000")
            }
        }
    }

    @Test("query filters by time and vocabulary in any spelling, pages with a token, and refuses what it does not know")
    func queryParameters() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let events = (1...5).map { day in
                    EPCISFixture.shipping("urn:uuid:q-000\(day)", [EPCISFixture.honey("H0006\(day)")], to: EPCISFixture.distributorGLN,
                                          at: "2027-04-0\(day)T10:00:00+02:00")
                }
                #expect(try await client.capture(EPCISFixture.document(events), key: key).json["captured"] as? Int == 5)
                let (_, window) = try await client.queryEvents(
                    "?GE_eventTime=2027-04-02T08:00:00Z&LT_eventTime=2027-04-04T08:00:00Z", key: key)
                #expect(window.compactMap { $0["eventID"] as? String } == ["urn:uuid:q-0002", "urn:uuid:q-0003"])
                for step in ["shipping", "urn:epcglobal:cbv:bizstep:shipping", "https://ref.gs1.org/cbv/BizStep-shipping"] {
                    let (_, found) = try await client.queryEvents("?EQ_bizStep=\(step)&EQ_disposition=in_transit", key: key)
                    #expect(found.count == 5, "\(step)")
                }
                let (_, none) = try await client.queryEvents("?EQ_bizStep=receiving", key: key)
                #expect(none.isEmpty)

                var seen: [String] = []
                var next: String? = "/epcis/events?perPage=2&EQ_bizStep=shipping"
                var pages = 0
                while let uri = next, pages < 10 {
                    let page = try await client.api(.get, uri, key: key)
                    #expect(page.status == .ok)
                    let list = (((page.json["epcisBody"] as? [String: Any])?["queryResults"] as? [String: Any])?["resultsBody"] as? [String: Any])?["eventList"] as? [[String: Any]] ?? []
                    seen += list.compactMap { $0["eventID"] as? String }
                    next = page.headers[HTTPField.Name("Link")!].flatMap { link in
                        link.split(separator: ">").first.map { String($0.dropFirst()) }
                    }
                    pages += 1
                }
                #expect(pages == 3 && seen == (1...5).map { "urn:uuid:q-000\($0)" })

                for bad in ["?orderBy=eventTime", "?EQ_bizStep=flying", "?GE_eventTime=yesterday", "?perPage=0",
                            "?nextPageToken=xyz", "?MATCH_epc=urn:epc:id:grai:1", "?eventType=ThingEvent"] {
                    let response = try await client.api(.get, "/epcis/events" + bad, key: key)
                    #expect(response.status == .badRequest, "\(bad)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }

    @Test("a lot recalled by an event scans as recalled; commissioning activates pending seals when the brand asks for it")
    func effectsOnTheScan() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await database.withClient { client in
                _ = try await client.query("UPDATE brands SET activate_on_commissioning = true WHERE slug = 'demo'", logger: Logger(label: "t"))
            }
            let pendingPath = try await DemoFixture.seedPath(database, serial: "P00001")
            let otherPendingPath = try await DemoFixture.seedPath(database, serial: "P00002")
            let recalledPath = try await DemoFixture.seedPath(database, serial: "H00070")
            try await withTestApp(database) { client in
                let inactive = try await client.execute(uri: pendingPath, method: .get, headers: [.acceptLanguage: "en"])
                #expect(inactive.text.contains("data-verdict=\"inactive\""))
                let commissioning = EPCISFixture.document([
                    EPCISFixture.commissioning("urn:uuid:eff-0001", [EPCISFixture.honey("P00001")]),
                ])
                #expect(try await client.capture(commissioning, key: key).json["captured"] as? Int == 1)
                let active = try await client.execute(uri: pendingPath, method: .get, headers: [.acceptLanguage: "en"])
                #expect(active.text.contains("data-verdict=\"genuine_first\""))
                let untouched = try await client.execute(uri: otherPendingPath, method: .get, headers: [.acceptLanguage: "en"])
                #expect(untouched.text.contains("data-verdict=\"inactive\""))

                let recall = EPCISFixture.document([EPCISFixture.lotRecall("urn:uuid:eff-0002", time: "2027-03-06T09:00:00+01:00")])
                #expect(try await client.capture(recall, key: key).json["captured"] as? Int == 1)
                let recalled = try await client.execute(uri: recalledPath, method: .get, headers: [.acceptLanguage: "fr"])
                #expect(recalled.text.contains("data-verdict=\"recalled\""))
                let status = try await database.withClient {
                    try await $0.scalar("SELECT status FROM seals WHERE serial = 'P00001'", as: String.self)
                }
                #expect(status == "active")
                _ = demo
            }
        }
    }

    @Test("a unit reported stolen, destroyed or expired, or recalled with its pallet, scans so in every language; alerts follow")
    func dispositionsOnTheScan() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            var seeded: [String: String] = [:]
            for serial in ["H00101", "H00102", "H00103", "H00104", "H00105", "H00106"] {
                seeded[serial] = try await DemoFixture.seedPath(database, serial: serial)
            }
            let paths = seeded
            try await withTestApp(database, .live) { client in
                func disposition(_ id: String, _ epcs: [String], _ value: String, _ time: String) -> String {
                    """
                    {"type": "ObjectEvent", "eventID": "\(id)", "eventTime": "\(time)", "eventTimeZoneOffset": "+01:00",
                     "epcList": \(EPCISFixture.list(epcs)), "action": "OBSERVE", "disposition": "\(value)"}
                    """
                }
                let document = EPCISFixture.document([
                    EPCISFixture.packing("urn:uuid:disp-0001", parent: EPCISFixture.sscc(30), ["H00104", "H00105"].map(EPCISFixture.honey),
                                         at: "2027-03-10T09:00:00+01:00"),
                    disposition("urn:uuid:disp-0002", [EPCISFixture.honey("H00101")], "stolen", "2027-03-10T10:00:00+01:00"),
                    disposition("urn:uuid:disp-0003", [EPCISFixture.honey("H00102")], "urn:epcglobal:cbv:disp:destroyed",
                                "2027-03-10T10:00:00+01:00"),
                    disposition("urn:uuid:disp-0004", [EPCISFixture.honey("H00103")], "https://ref.gs1.org/cbv/Disp-expired",
                                "2027-03-10T10:00:00+01:00"),
                    disposition("urn:uuid:disp-0005", [EPCISFixture.sscc(30)], "recalled", "2027-03-10T11:00:00+01:00"),
                ])
                #expect(try await client.capture(document, key: key).json["captured"] as? Int == 5)
                let expected = ["H00101": Verdict.stolen, "H00102": .destroyed, "H00103": .expired, "H00104": .recalled,
                                "H00105": .recalled, "H00106": .genuineFirst]
                for language in Language.allCases {
                    for (serial, verdict) in expected.sorted(by: { $0.key < $1.key }) {
                        let page = try await client.execute(uri: try #require(paths[serial]), method: .get,
                                                            headers: [.acceptLanguage: language.rawValue])
                        #expect(page.text.contains("data-verdict=\"\(verdict.rawValue)\""), "\(serial) \(language)")
                        if verdict == .stolen || verdict == .destroyed {
                            #expect(page.text.contains(try UIStrings.html("verdict_\(verdict.rawValue)_title", language)))
                            // The product is shown: the seal is the brand's own.
                            #expect(page.text.contains(try DemoFixture.productName(DemoFixture.honey, language)))
                        }
                    }
                }
                // A later event that finds the stolen unit again clears the verdict.
                let found = EPCISFixture.document([
                    disposition("urn:uuid:disp-0006", [EPCISFixture.honey("H00101")], "in_progress", "2027-03-12T10:00:00+01:00"),
                ])
                #expect(try await client.capture(found, key: key).json["captured"] as? Int == 1)
                let recovered = try await client.execute(uri: try #require(paths["H00101"]), method: .get)
                // Genuine again; still "first" for this visitor, who verified it first.
                #expect(recovered.text.contains("data-verdict=\"genuine_first\""))

                // The stolen and destroyed rules are on for every brand.
                var types: [String] = []
                for _ in 0..<900 {
                    types = try await database.withClient { client in
                        var found: [String] = []
                        for try await (type, serial) in try await client.query(
                            "SELECT type, serial FROM alerts WHERE type IN ('stolen_scanned', 'destroyed_scanned') ORDER BY id",
                            logger: Logger(label: "t")).decode((String, String).self) {
                            found.append("\(type):\(serial)")
                        }
                        return found
                    }
                    if types.count >= 8 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(types.filter { $0 == "stolen_scanned:H00101" }.count == 4)
                #expect(types.filter { $0 == "destroyed_scanned:H00102" }.count == 4)
            }
        }
    }

    @Test("an error declaration takes the declared event's effect off the seals, and both stay queryable")
    func errorDeclaration() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                let shipping = EPCISFixture.shipping("urn:uuid:err-0002", [EPCISFixture.honey("H00080")], to: EPCISFixture.retailerGLN,
                                                     at: "2027-03-07T10:00:00+01:00")
                let document = EPCISFixture.document([
                    EPCISFixture.commissioning("urn:uuid:err-0001", [EPCISFixture.honey("H00080")]), shipping,
                ])
                #expect(try await client.capture(document, key: key).json["captured"] as? Int == 2)
                #expect(try await Self.states(database)["H00080"]?.disposition == "in_transit")
                // The standard's form: the erroneous event again, with an errorDeclaration.
                let declaration = String(shipping.dropLast()) + """
                    , "errorDeclaration": {"declarationTime": "2027-03-07T12:00:00Z", "reason": "urn:epcglobal:cbv:er:incorrect_data"}}
                    """
                let declared = try await client.capture(EPCISFixture.document([declaration]), key: key)
                #expect(declared.json["captured"] as? Int == 1, "\(declared.text)")
                let state = try await Self.states(database)["H00080"]
                #expect(state?.disposition == "active" && state?.holder == nil)
                let (_, both) = try await client.queryEvents("?EQ_eventID=urn:uuid:err-0002", key: key)
                #expect(both.count == 2 && both.filter { $0["errorDeclaration"] != nil }.count == 1)
            }
        }
    }

    @Test("brand B can neither write events about brand A's goods nor read A's events or captures")
    func isolation() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.brand(database, slug: "other")
            let key = try await APIClientFixture.key(database, brand: "demo")
            let otherKey = try await APIClientFixture.key(database, brand: "other")
            let readOnly = try await APIClientFixture.key(database, brand: "demo", scopes: [.eventsRead], name: "reader")
            try await withTestApp(database) { client in
                let captured = try await client.capture(EPCISFixture.document([
                    EPCISFixture.commissioning("urn:uuid:iso-0001", [EPCISFixture.honey("H00090")]),
                ]), key: key)
                let location = try #require(captured.headers[.location])
                let intrusion = try await client.capture(EPCISFixture.document([
                    EPCISFixture.shipping("urn:uuid:iso-0002", [EPCISFixture.honey("H00090")], to: EPCISFixture.retailerGLN,
                                          at: "2027-03-08T10:00:00+01:00"),
                ]), key: otherKey)
                #expect(intrusion.status == .unprocessableContent)
                #expect(intrusion.text.contains("not one of this brand's products"))
                let (_, seen) = try await client.queryEvents("", key: otherKey)
                #expect(seen.isEmpty)
                #expect(try await client.api(.get, "/epcis/events/urn:uuid:iso-0001", key: otherKey).status == .notFound)
                #expect(try await client.api(.get, location, key: otherKey).status == .notFound)
                // The pallet SSCC brand A packs is A's container only.
                _ = try await client.capture(EPCISFixture.document([
                    EPCISFixture.packing("urn:uuid:iso-0003", parent: EPCISFixture.sscc(99), [EPCISFixture.honey("H00091")],
                                         at: "2027-03-08T09:00:00+01:00"),
                ]), key: key)
                let otherShip = try await client.capture(EPCISFixture.document([
                    EPCISFixture.shipping("urn:uuid:iso-0004", [EPCISFixture.sscc(99)], to: EPCISFixture.retailerGLN,
                                          at: "2027-03-08T10:00:00+01:00"),
                ]), key: otherKey)
                #expect(otherShip.json["captured"] as? Int == 1)
                #expect(try await Self.sealsOf(event: "urn:uuid:iso-0004", database).isEmpty)
                #expect(try await Self.states(database)["H00091"]?.holder == nil)
                // Scopes: a read-only key cannot capture; no key at all is 401.
                #expect(try await client.capture(EPCISFixture.document([]), key: readOnly).status == .forbidden)
                #expect(try await client.api(.get, "/epcis/events", key: nil).status == .unauthorized)
            }
        }
    }

    @Test("a document over the synchronous limit is answered 202 at once and applied by a job")
    func largeDocument() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            try await withTestApp(database) { client in
                // 500 events are applied while the request waits; more go to a job.
                let events = (1...600).map { index in
                    """
                    {"type": "ObjectEvent", "eventID": "urn:uuid:big-\(index)", "eventTime": "2027-03-09T10:00:00Z",
                     "eventTimeZoneOffset": "+00:00", "epcList": ["\(EPCISFixture.honey(String(format: "H%05d", index % 400 + 1)))"],
                     "action": "OBSERVE", "bizStep": "inspecting"}
                    """
                }
                let accepted = try await client.capture(EPCISFixture.document(events), key: key)
                #expect(accepted.status == .accepted && accepted.json["running"] as? Bool == true)
                let location = try #require(accepted.headers[.location])
                var finished: [String: Any] = [:]
                for _ in 0..<300 {
                    let status = try await client.api(.get, location, key: key).json
                    if status["running"] as? Bool == false { finished = status; break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(finished["success"] as? Bool == true && finished["captured"] as? Int == events.count)
                let stored = try await database.withClient { try await $0.scalar("SELECT count(*)::int FROM trace_events", as: Int.self) }
                #expect(stored == events.count)
                let kept = try await database.withClient {
                    try await $0.scalar("SELECT count(*)::int FROM trace_captures WHERE document IS NOT NULL", as: Int.self)
                }
                #expect(kept == 0)
            }
        }
    }

    // MARK: Helpers

    static func sealsOf(event: String, _ database: TestDatabase) async throws -> [String] {
        try await database.withClient { client in
            var serials: [String] = []
            for try await serial in try await client.query("""
                SELECT s.serial::text FROM trace_event_seals t JOIN seals s ON s.id = t.seal_id JOIN trace_events e ON e.id = t.event_id
                WHERE e.event_id = \(event) AND NOT e.declares_error ORDER BY s.serial
                """, logger: Logger(label: "t")).decode(String.self) {
                serials.append(serial)
            }
            return serials
        }
    }

    struct SealState: Equatable {
        var disposition: String?
        var holder: String?
    }

    static func states(_ database: TestDatabase) async throws -> [String: SealState] {
        try await database.withClient { client in
            var states: [String: SealState] = [:]
            for try await (serial, disposition, holder) in try await client.query("""
                SELECT s.serial::text, t.disposition, t.holder_gln FROM seal_trace t JOIN seals s ON s.id = t.seal_id
                """, logger: Logger(label: "t")).decode((String, String?, String?).self) {
                states[serial] = SealState(disposition: disposition, holder: holder)
            }
            return states
        }
    }
}
