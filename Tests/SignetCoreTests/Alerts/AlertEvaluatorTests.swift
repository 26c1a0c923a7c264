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
        for verdict in Verdict.allCases where verdict != .counterfeit {
            #expect(Self.types(Self.scan(verdict), [rule]).isEmpty, "\(verdict)")
        }
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
}
