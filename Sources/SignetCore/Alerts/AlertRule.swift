/// A brand's rule: which alerts it wants, on which of its products, with the
/// thresholds that decide.
public struct AlertRule: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case everyScan = "every_scan"
        case counterfeit
        case scanSessionsExceeded = "scan_sessions_exceeded"
        case offMarket = "off_market"
        case exceptionalCountry = "exceptional_country"
        case geoJump = "geo_jump"
        case recalledScanned = "recalled_scanned"
        case inactiveScanned = "inactive_scanned"
        case expiredScanned = "expired_scanned"
        case tamperedScanned = "tampered_scanned"
        case stolenScanned = "stolen_scanned"
        case destroyedScanned = "destroyed_scanned"
    }

    public var kind: Kind
    /// Only scans of these product types, products or lots; nil for all.
    public var scope: AlertScope
    /// `counterfeit`: this many counterfeit scans from one visitor within an
    /// hour also raise `serial_probing` (once, when the count reaches it).
    public var probingThreshold: Int
    /// `scan_sessions_exceeded`: alert when a seal's sessions pass this many.
    public var sessionLimit: Int
    /// `scan_sessions_exceeded`: one visitor's scans this close together are one session.
    public var sessionMinutes: Int
    /// `off_market`: the countries the brand sells in (ISO 3166-1 alpha-2),
    /// for seals whose batch names no intended markets (the batch's own list
    /// decides for the others); may be empty.
    public var markets: Set<String>
    /// `exceptional_country`: countries the brand wants to hear about.
    public var watchList: Set<String>
    /// `geo_jump`: two countries within this many minutes is a jump.
    public var jumpMinutes: Int

    public init(
        kind: Kind, scope: AlertScope = .everything, probingThreshold: Int = 10, sessionLimit: Int = 5,
        sessionMinutes: Int = 30, markets: Set<String> = [], watchList: Set<String> = [], jumpMinutes: Int = 360
    ) {
        self.kind = kind
        self.scope = scope
        self.probingThreshold = probingThreshold
        self.sessionLimit = sessionLimit
        self.sessionMinutes = sessionMinutes
        self.markets = markets
        self.watchList = watchList
        self.jumpMinutes = jumpMinutes
    }
}

/// The part of a brand's catalogue a rule watches.
public struct AlertScope: Sendable, Equatable {
    public var productTypeIDs: Set<Int64>?
    public var productIDs: Set<Int64>?
    public var lotIDs: Set<Int64>?

    public static let everything = AlertScope(productTypeIDs: nil, productIDs: nil, lotIDs: nil)

    public init(productTypeIDs: Set<Int64>?, productIDs: Set<Int64>?, lotIDs: Set<Int64>?) {
        self.productTypeIDs = productTypeIDs
        self.productIDs = productIDs
        self.lotIDs = lotIDs
    }

    /// With no narrowing, everything; otherwise the scan must fall in one of the named sets.
    public func covers(productTypeID: Int64?, productID: Int64?, lotID: Int64?) -> Bool {
        if productTypeIDs == nil, productIDs == nil, lotIDs == nil { return true }
        if let productTypeID, productTypeIDs?.contains(productTypeID) == true { return true }
        if let productID, productIDs?.contains(productID) == true { return true }
        if let lotID, lotIDs?.contains(lotID) == true { return true }
        return false
    }
}
