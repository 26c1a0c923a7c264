/// One consultation as the alert rules see it.
public struct ScanForAlerts: Sendable, Equatable {
    public var verdict: Verdict
    /// `unknown` or ISO 3166-1 alpha-2.
    public var country: String
    /// The daily visitor fingerprint.
    public var visitor: [UInt8]?
    /// Seconds since 1970.
    public var scannedAt: Double
    public var productTypeID: Int64?
    public var productID: Int64?
    public var lotID: Int64?
    /// The seal's lot had expired on the day of the scan.
    public var lotExpired: Bool
    /// Where the seal is meant to be sold (ISO 3166-1 alpha-2): the countries
    /// of the partner it was last shipped to, else those its batch was made
    /// for; empty when neither names any.
    public var intendedMarkets: Set<String>

    public init(
        verdict: Verdict, country: String, visitor: [UInt8]?, scannedAt: Double, productTypeID: Int64? = nil,
        productID: Int64? = nil, lotID: Int64? = nil, lotExpired: Bool = false, intendedMarkets: Set<String> = []
    ) {
        self.verdict = verdict
        self.country = country
        self.visitor = visitor
        self.scannedAt = scannedAt
        self.productTypeID = productTypeID
        self.productID = productID
        self.lotID = lotID
        self.lotExpired = lotExpired
        self.intendedMarkets = intendedMarkets
    }

    /// The seal in hand is one the brand issued (whatever its state); a
    /// replayed tap URL says nothing of where the real seal is.
    var isAuthentic: Bool { verdict != .counterfeit && verdict != .replayed }
}

/// An earlier counted scan of the same seal.
public struct PastScan: Sendable, Equatable {
    public var scannedAt: Double
    public var country: String
    public var visitor: [UInt8]?

    public init(scannedAt: Double, country: String, visitor: [UInt8]?) {
        self.scannedAt = scannedAt
        self.country = country
        self.visitor = visitor
    }
}

/// What the log says around one consultation.
public struct AlertHistory: Sendable, Equatable {
    /// The seal's earlier counted scans, in any order.
    public var sealScans: [PastScan]
    /// Counterfeit scans from this visitor in the hour up to and including this one.
    public var visitorCounterfeitsLastHour: Int

    public init(sealScans: [PastScan] = [], visitorCounterfeitsLastHour: Int = 0) {
        self.sealScans = sealScans
        self.visitorCounterfeitsLastHour = visitorCounterfeitsLastHour
    }
}

/// An alert to record: its type and the facts that explain it.
public struct AlertDraft: Sendable, Equatable {
    public var type: AlertType
    public var detail: [String: String]

    public init(_ type: AlertType, _ detail: [String: String] = [:]) {
        self.type = type
        self.detail = detail
    }
}

/// Decides which alerts one consultation raises under a brand's rules.
public enum AlertEvaluator {
    public static func evaluate(_ scan: ScanForAlerts, history: AlertHistory, rules: [AlertRule]) -> [AlertDraft] {
        var alerts: [AlertDraft] = []
        for rule in rules where rule.scope.covers(productTypeID: scan.productTypeID, productID: scan.productID, lotID: scan.lotID) {
            switch rule.kind {
            case .everyScan:
                alerts.append(AlertDraft(.everyScan, ["verdict": scan.verdict.rawValue, "country": scan.country]))
            case .counterfeit:
                if scan.verdict == .replayed { alerts.append(AlertDraft(.replayedTap, ["country": scan.country])) }
                guard scan.verdict == .counterfeit else { continue }
                alerts.append(AlertDraft(.counterfeit, ["country": scan.country]))
                // Exactly when the count reaches the threshold, so one visitor's probing is one alert an hour.
                if history.visitorCounterfeitsLastHour == rule.probingThreshold {
                    alerts.append(AlertDraft(.serialProbing, ["scans_last_hour": String(rule.probingThreshold)]))
                }
            case .scanSessionsExceeded:
                guard scan.isAuthentic else { continue }
                let before = sessions(history.sealScans, minutes: rule.sessionMinutes)
                let after = sessions(history.sealScans + [PastScan(scannedAt: scan.scannedAt, country: scan.country, visitor: scan.visitor)],
                                     minutes: rule.sessionMinutes)
                if before <= rule.sessionLimit, after > rule.sessionLimit {
                    alerts.append(AlertDraft(.scanSessionsExceeded, ["sessions": String(after), "limit": String(rule.sessionLimit)]))
                }
            case .offMarket:
                // The seal's own markets (its partner's or batch's) decide; the rule's list covers seals with none.
                let markets = scan.intendedMarkets.isEmpty ? rule.markets : scan.intendedMarkets
                guard scan.isAuthentic, scan.country != "unknown", !markets.isEmpty, !markets.contains(scan.country) else { continue }
                alerts.append(AlertDraft(.offMarket, ["country": scan.country, "markets": markets.sorted().joined(separator: ",")]))
            case .exceptionalCountry:
                guard scan.isAuthentic, rule.watchList.contains(scan.country) else { continue }
                alerts.append(AlertDraft(.exceptionalCountry, ["country": scan.country]))
            case .geoJump:
                guard scan.isAuthentic, scan.country != "unknown" else { continue }
                let window = Double(rule.jumpMinutes) * 60
                let jump = history.sealScans
                    .filter { $0.country != "unknown" && $0.country != scan.country && abs(scan.scannedAt - $0.scannedAt) <= window }
                    .min { abs(scan.scannedAt - $0.scannedAt) < abs(scan.scannedAt - $1.scannedAt) }
                if let jump {
                    alerts.append(AlertDraft(.geoJump, [
                        "country": scan.country, "previous_country": jump.country,
                        "minutes": String(Int((abs(scan.scannedAt - jump.scannedAt) / 60).rounded())),
                    ]))
                }
            case .recalledScanned:
                if scan.verdict == .recalled { alerts.append(AlertDraft(.recalledScanned, ["country": scan.country])) }
            case .inactiveScanned:
                if scan.verdict == .inactive { alerts.append(AlertDraft(.inactiveScanned, ["country": scan.country])) }
            case .tamperedScanned:
                if scan.verdict == .tampered { alerts.append(AlertDraft(.tamperedScanned, ["country": scan.country])) }
            case .stolenScanned:
                if scan.verdict == .stolen { alerts.append(AlertDraft(.stolenScanned, ["country": scan.country])) }
            case .destroyedScanned:
                if scan.verdict == .destroyed { alerts.append(AlertDraft(.destroyedScanned, ["country": scan.country])) }
            case .expiredScanned:
                if scan.isAuthentic, scan.lotExpired || scan.verdict == .expired {
                    alerts.append(AlertDraft(.expiredScanned, ["country": scan.country]))
                }
            }
        }
        return alerts
    }

    /// Distinct scan sessions: one visitor's scans each within `minutes` of
    /// the previous are one session; a scan without a visitor is its own.
    public static func sessions(_ scans: [PastScan], minutes: Int) -> Int {
        var lastSeen: [[UInt8]: Double] = [:]
        var count = 0
        for scan in scans.sorted(by: { $0.scannedAt < $1.scannedAt }) {
            guard let visitor = scan.visitor else {
                count += 1
                continue
            }
            if let last = lastSeen[visitor], scan.scannedAt - last <= Double(minutes) * 60 {
                lastSeen[visitor] = scan.scannedAt
                continue
            }
            lastSeen[visitor] = scan.scannedAt
            count += 1
        }
        return count
    }
}
