/// What the database knows about one scan, gathered in the scan statement.
public struct ScanFacts: Equatable, Sendable {
    /// The GTIN is registered and a seal with this serial exists for it.
    public var sealFound: Bool
    /// The `t` parameter is the seal's HMAC under its brand's key.
    public var tokenValid: Bool
    /// The lot in the URL, if any, is the seal's lot.
    public var lotMatches: Bool
    public var sealStatus: SealStatus?
    public var lotRecalled: Bool
    /// The seal's lot is past its expiry date (UTC day of the scan).
    public var lotExpired: Bool
    /// Verified scans of this seal including this one; 0 when none was counted.
    public var scanCount: Int
    /// This scan comes from the visitor who verified the seal first, the same day:
    /// a reload or a language switch, not a second person.
    public var firstVisitorAgain: Bool
    /// Scan sessions of this seal including this scan: a session is one
    /// visitor's scans less than the brand's session minutes apart.
    public var scanSessions: Int
    /// More sessions than this make the seal `suspicious`.
    public var sessionLimit: Int
    /// An NFC tap moved the tag's read counter forward (or is its tapper's
    /// own reload); a QR scan always is.
    public var tapFresh: Bool
    /// An NFC tamper loop reported the seal opened.
    public var tampered: Bool
    /// What the seal's supply-chain events report, when it changes the verdict.
    public var traceState: TraceState?

    public init(
        sealFound: Bool, tokenValid: Bool, lotMatches: Bool = true, sealStatus: SealStatus?, lotRecalled: Bool,
        lotExpired: Bool = false, scanCount: Int, firstVisitorAgain: Bool = false, scanSessions: Int = 0,
        sessionLimit: Int = .max, tapFresh: Bool = true, tampered: Bool = false, traceState: TraceState? = nil
    ) {
        self.sealFound = sealFound
        self.tokenValid = tokenValid
        self.lotMatches = lotMatches
        self.sealStatus = sealStatus
        self.lotRecalled = lotRecalled
        self.lotExpired = lotExpired
        self.scanCount = scanCount
        self.firstVisitorAgain = firstVisitorAgain
        self.scanSessions = scanSessions
        self.sessionLimit = sessionLimit
        self.tapFresh = tapFresh
        self.tampered = tampered
        self.traceState = traceState
    }
}
