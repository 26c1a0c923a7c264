import SignetCore
import Testing

@Suite("Alert rules")
struct AlertEvaluatorTests {
    static let alice: [UInt8] = [1]
    static let bob: [UInt8] = [2]
    static let noon = 1_780_000_000.0

    static func scan(
        _ verdict: Verdict, _ country: String = "FR", visitor: [UInt8]? = alice, at time: Double = noon,
        productID: Int64? = 7, lotExpired: Bool = false, markets: Set<String> = []
    ) -> ScanForAlerts {
        ScanForAlerts(verdict: verdict, country: country, visitor: visitor, scannedAt: time, productTypeID: 3,
                      productID: productID, lotID: 11, lotExpired: lotExpired, intendedMarkets: markets)
    }

    static func types(_ scan: ScanForAlerts, _ history: AlertHistory, _ rules: [AlertRule]) -> [AlertType] {
        AlertEvaluator.evaluate(scan, history: history, rules: rules).map(\.type)
    }

    static func types(_ scan: ScanForAlerts, _ rules: [AlertRule]) -> [AlertType] {
        types(scan, AlertHistory(), rules)
    }

    @Test("every_scan fires on every verdict", arguments: Verdict.allCases)
    func everyScan(verdict: Verdict) {
        #expect(Self.types(Self.scan(verdict), [AlertRule(kind: .everyScan)]) == [.everyScan])
    }

    @Test("counterfeit fires on counterfeits only, and probing once when one visitor reaches the threshold")
    func counterfeit() {
        let rule = AlertRule(kind: .counterfeit, probingThreshold: 3)
        for verdict in Verdict.allCases where verdict != .counterfeit && verdict != .replayed {
            #expect(Self.types(Self.scan(verdict), [rule]).isEmpty, "\(verdict)")
        }
        // A copied NFC tap is the rule's too, without counting towards probing.
        #expect(Self.types(Self.scan(.replayed), AlertHistory(visitorCounterfeitsLastHour: 3), [rule]) == [.replayedTap])
        let cases: [(Int, [AlertType])] = [
            (1, [.counterfeit]), (2, [.counterfeit]), (3, [.counterfeit, .serialProbing]), (4, [.counterfeit]),
        ]
        for (count, expected) in cases {
            #expect(Self.types(Self.scan(.counterfeit), AlertHistory(visitorCounterfeitsLastHour: count), [rule]) == expected, "\(count)")
        }
    }

    @Test("scan_sessions_exceeded fires once, when a seal passes its session limit; reloads are one session")
    func sessions() {
        let rule = AlertRule(kind: .scanSessionsExceeded, sessionLimit: 2, sessionMinutes: 30)
        let hour = 3600.0
        // Alice twice within 30 minutes is one session; Bob is a second.
        let twoSessions = [
            PastScan(scannedAt: Self.noon - 3 * hour, country: "FR", visitor: Self.alice),
            PastScan(scannedAt: Self.noon - 3 * hour + 600, country: "FR", visitor: Self.alice),
            PastScan(scannedAt: Self.noon - 2 * hour, country: "FR", visitor: Self.bob),
        ]
        #expect(AlertEvaluator.sessions(twoSessions, minutes: 30) == 2)
        // Alice again hours later: a third session, over the limit of 2.
        #expect(Self.types(Self.scan(.genuineSeen), AlertHistory(sealScans: twoSessions), [rule]) == [.scanSessionsExceeded])
        // Bob reloading 5 minutes later: still two sessions.
        #expect(Self.types(Self.scan(.genuineSeen, visitor: Self.bob, at: Self.noon - 2 * hour + 300),
                           AlertHistory(sealScans: twoSessions), [rule]).isEmpty)
        // Already past the limit: no second alert.
        let threeSessions = twoSessions + [PastScan(scannedAt: Self.noon - hour, country: "DE", visitor: [3])]
        #expect(Self.types(Self.scan(.genuineSeen, visitor: [4]), AlertHistory(sealScans: threeSessions), [rule]).isEmpty)
        // A counterfeit is not a session of the real seal.
        #expect(Self.types(Self.scan(.counterfeit), AlertHistory(sealScans: twoSessions), [rule]).isEmpty)
    }

    @Test("off_market and exceptional_country look at the country of authentic seals")
    func countries() {
        let offMarket = AlertRule(kind: .offMarket, markets: ["FR", "BE"])
        #expect(Self.types(Self.scan(.genuineFirst, "FR"), [offMarket]).isEmpty)
        #expect(Self.types(Self.scan(.genuineFirst, "US"), [offMarket]) == [.offMarket])
        #expect(Self.types(Self.scan(.genuineSeen, "unknown"), [offMarket]).isEmpty)
        #expect(Self.types(Self.scan(.counterfeit, "US"), [offMarket]).isEmpty)
        #expect(Self.types(Self.scan(.genuineFirst, "US"), [AlertRule(kind: .offMarket)]).isEmpty)
        let watch = AlertRule(kind: .exceptionalCountry, watchList: ["CN"])
        #expect(AlertEvaluator.evaluate(Self.scan(.genuineFirst, "US"), history: AlertHistory(), rules: [offMarket])
                == [AlertDraft(.offMarket, ["country": "US", "markets": "BE,FR"])])
        #expect(Self.types(Self.scan(.genuineSeen, "CN"), [watch]) == [.exceptionalCountry])
        #expect(Self.types(Self.scan(.genuineSeen, "DE"), [watch]).isEmpty)
    }

    @Test("off_market follows the seal's batch markets when it names some, the rule's list otherwise",
          arguments: [
              // (batch markets, rule markets, scanned in, fires)
              (Set<String>(["JP"]), Set<String>(), "JP", false),
              (["JP"], [], "FR", true),
              (["JP", "KR"], [], "KR", false),
              // The batch's list decides over the rule's, both ways.
              (["JP"], ["FR"], "FR", true),
              (["JP"], ["FR"], "JP", false),
              // A seal without markets of its own falls back to the rule's list.
              ([], ["FR"], "FR", false),
              ([], ["FR"], "DE", true),
              // Neither says where: no alert.
              ([], [], "DE", false),
              (["JP"], [], "unknown", false),
          ] as [(Set<String>, Set<String>, String, Bool)])
    func offMarketBatchMarkets(batch: Set<String>, rule: Set<String>, country: String, fires: Bool) {
        let types = Self.types(Self.scan(.genuineSeen, country, markets: batch), [AlertRule(kind: .offMarket, markets: rule)])
        #expect(types == (fires ? [.offMarket] : []))
        // A counterfeit has no batch to speak of.
        #expect(Self.types(Self.scan(.counterfeit, country, markets: batch), [AlertRule(kind: .offMarket, markets: rule)]).isEmpty)
    }

    @Test("geo_jump fires when the same seal was scanned in another country within the window")
    func geoJump() {
        let rule = AlertRule(kind: .geoJump, jumpMinutes: 120)
        let parisAnHourAgo = [PastScan(scannedAt: Self.noon - 3600, country: "FR", visitor: Self.alice)]
        let alerts = AlertEvaluator.evaluate(Self.scan(.genuineSeen, "JP"), history: AlertHistory(sealScans: parisAnHourAgo), rules: [rule])
        #expect(alerts == [AlertDraft(.geoJump, ["country": "JP", "previous_country": "FR", "minutes": "60"])])
        let parisYesterday = [PastScan(scannedAt: Self.noon - 86_400, country: "FR", visitor: Self.alice)]
        #expect(Self.types(Self.scan(.genuineSeen, "JP"), AlertHistory(sealScans: parisYesterday), [rule]).isEmpty)
        #expect(Self.types(Self.scan(.genuineSeen, "FR"), AlertHistory(sealScans: parisAnHourAgo), [rule]).isEmpty)
        #expect(Self.types(Self.scan(.genuineSeen, "unknown"), AlertHistory(sealScans: parisAnHourAgo), [rule]).isEmpty)
    }

    @Test("recalled, inactive and expired scans each have their rule")
    func states() {
        let rules = [AlertRule(kind: .recalledScanned), AlertRule(kind: .inactiveScanned), AlertRule(kind: .expiredScanned)]
        #expect(Self.types(Self.scan(.recalled), rules) == [.recalledScanned])
        #expect(Self.types(Self.scan(.inactive), rules) == [.inactiveScanned])
        #expect(Self.types(Self.scan(.genuineFirst, lotExpired: true), rules) == [.expiredScanned])
        #expect(Self.types(Self.scan(.genuineFirst), rules).isEmpty)
        #expect(Self.types(Self.scan(.counterfeit, lotExpired: true), rules).isEmpty)
    }

    @Test("a rule narrowed to product types, products or lots ignores the rest of the catalogue")
    func scope() {
        let onlyProduct8 = AlertRule(kind: .everyScan, scope: AlertScope(productTypeIDs: nil, productIDs: [8], lotIDs: nil))
        #expect(Self.types(Self.scan(.genuineFirst, productID: 7), [onlyProduct8]).isEmpty)
        #expect(Self.types(Self.scan(.genuineFirst, productID: 8), [onlyProduct8]) == [.everyScan])
        let onlyType3 = AlertRule(kind: .everyScan, scope: AlertScope(productTypeIDs: [3], productIDs: nil, lotIDs: nil))
        #expect(Self.types(Self.scan(.genuineFirst), [onlyType3]) == [.everyScan])
        let onlyLot12 = AlertRule(kind: .everyScan, scope: AlertScope(productTypeIDs: nil, productIDs: nil, lotIDs: [12]))
        #expect(Self.types(Self.scan(.genuineFirst), [onlyLot12]).isEmpty)
    }

    @Test("exceptional_country: watched countries of authentic scans only",
          arguments: [
              // (watch list, scanned in, verdict, fires)
              (Set<String>(["CN", "RU"]), "CN", Verdict.genuineFirst, true),
              (["CN", "RU"], "RU", .suspicious, true),
              (["CN", "RU"], "RU", .recalled, true),
              (["CN", "RU"], "RU", .expired, true),
              (["CN", "RU"], "DE", .genuineSeen, false),
              (["CN"], "CN", .counterfeit, false),
              (["CN"], "unknown", .genuineFirst, false),
              ([], "CN", .genuineFirst, false),
          ] as [(Set<String>, String, Verdict, Bool)])
    func exceptionalCountryCases(watch: Set<String>, country: String, verdict: Verdict, fires: Bool) {
        let types = Self.types(Self.scan(verdict, country), [AlertRule(kind: .exceptionalCountry, watchList: watch)])
        #expect(types == (fires ? [.exceptionalCountry] : []))
    }

    @Test("geo_jump: another known country within the window, measured to the nearest earlier or later scan",
          arguments: [
              // (earlier scans as (country, minutes before), scanned in, window minutes, expected jump as (country, minutes))
              ([("FR", 60)], "JP", 120, ("FR", 60)),
              ([("FR", 120)], "JP", 120, ("FR", 120)),  // exactly the window: a jump
              ([("FR", 121)], "JP", 120, nil),
              ([("FR", 10)], "FR", 120, nil),
              ([("unknown", 10)], "JP", 120, nil),
              ([("FR", 90), ("DE", 30)], "JP", 120, ("DE", 30)),  // the nearest one is named
              ([("JP", 5), ("DE", 100)], "JP", 120, ("DE", 100)),
              ([("DE", -20)], "JP", 120, ("DE", 20)),  // a later scan committed first still counts
              ([], "JP", 120, nil),
          ] as [([(String, Int)], String, Int, (String, Int)?)])
    func geoJumpCases(earlier: [(String, Int)], country: String, window: Int, expected: (String, Int)?) {
        let history = AlertHistory(sealScans: earlier.map {
            PastScan(scannedAt: Self.noon - Double($0.1 * 60), country: $0.0, visitor: Self.bob)
        })
        let alerts = AlertEvaluator.evaluate(Self.scan(.genuineSeen, country), history: history, rules: [AlertRule(kind: .geoJump, jumpMinutes: window)])
        if let expected {
            #expect(alerts == [AlertDraft(.geoJump, ["country": country, "previous_country": expected.0, "minutes": String(expected.1)])])
        } else {
            #expect(alerts.isEmpty)
        }
        // A counterfeit says nothing about where the real seal is.
        #expect(AlertEvaluator.evaluate(Self.scan(.counterfeit, country), history: history,
                                        rules: [AlertRule(kind: .geoJump, jumpMinutes: window)]).isEmpty)
    }

    @Test("sessions: one visitor's scans each within the window of the last are one session; no visitor, one each",
          arguments: [
              // (scans as (visitor, minutes after the first), window, sessions)
              ([(UInt8(1), 0), (1, 10), (1, 20)], 30, 1),
              ([(UInt8(1), 0), (1, 25), (1, 50), (1, 75)], 30, 1),  // each reload extends the session
              ([(UInt8(1), 0), (1, 31)], 30, 2),
              ([(UInt8(1), 0), (2, 1), (3, 2)], 30, 3),
              ([(UInt8(1), 0), (2, 5), (1, 10), (2, 100)], 30, 3),
              ([(UInt8(0), 0), (0, 0)], 30, 2),  // visitor 0 stands for none here
              ([], 30, 0),
          ] as [([(UInt8, Int)], Int, Int)])
    func sessionCounts(scans: [(UInt8, Int)], window: Int, expected: Int) {
        let past = scans.reversed().map {
            PastScan(scannedAt: Self.noon + Double($0.1 * 60), country: "FR", visitor: $0.0 == 0 ? nil : [$0.0])
        }
        #expect(AlertEvaluator.sessions(past, minutes: window) == expected)
    }

    @Test("recalled, inactive, tampered, stolen, destroyed and expired rules, for every verdict", arguments: Verdict.allCases)
    func stateRulesByVerdict(verdict: Verdict) {
        let rules = [AlertRule(kind: .recalledScanned), AlertRule(kind: .inactiveScanned), AlertRule(kind: .tamperedScanned),
                     AlertRule(kind: .stolenScanned), AlertRule(kind: .destroyedScanned), AlertRule(kind: .expiredScanned)]
        var expected: [AlertType] = []
        if verdict == .recalled { expected.append(.recalledScanned) }
        if verdict == .inactive { expected.append(.inactiveScanned) }
        if verdict == .tampered { expected.append(.tamperedScanned) }
        if verdict == .stolen { expected.append(.stolenScanned) }
        if verdict == .destroyed { expected.append(.destroyedScanned) }
        // Expired by its lot or by the unit's own disposition.
        if verdict == .expired { expected.append(.expiredScanned) }
        #expect(Self.types(Self.scan(verdict), rules) == expected)
        // A copied tap says nothing of the seal in hand, so not that its lot expired either.
        if verdict != .counterfeit && verdict != .replayed && verdict != .expired { expected.append(.expiredScanned) }
        #expect(Self.types(Self.scan(verdict, lotExpired: true), rules) == expected)
    }

    @Test("scope: no narrowing watches everything; otherwise any named type, product or lot",
          arguments: [
              // (types, products, lots, scan's (type, product, lot), watched)
              (Set<Int64>?.none, Set<Int64>?.none, Set<Int64>?.none, (Int64?(3), Int64?(7), Int64?(11)), true),
              (nil, nil, nil, (nil, nil, nil), true),
              ([3], nil, nil, (3, 7, 11), true),
              ([4], nil, nil, (3, 7, 11), false),
              (nil, [7], nil, (3, 7, 11), true),
              (nil, nil, [11], (3, 7, 11), true),
              (nil, nil, [12], (3, 7, 11), false),
              ([4], [8], [11], (3, 7, 11), true),  // any one of them is enough
              ([4], [8], [12], (3, 7, 11), false),
              ([3], nil, nil, (nil, nil, nil), false),  // a counterfeit has no product
              ([], [], [], (3, 7, 11), false),
          ] as [(Set<Int64>?, Set<Int64>?, Set<Int64>?, (Int64?, Int64?, Int64?), Bool)])
    func scopeCases(types: Set<Int64>?, products: Set<Int64>?, lots: Set<Int64>?, scan: (Int64?, Int64?, Int64?), watched: Bool) {
        let scope = AlertScope(productTypeIDs: types, productIDs: products, lotIDs: lots)
        #expect(scope.covers(productTypeID: scan.0, productID: scan.1, lotID: scan.2) == watched)
    }
}
