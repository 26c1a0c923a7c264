/// What an alert says happened. Each comes from the brand rule of the same
/// name, except `serialProbing` and `replayedTap`, which the `counterfeit` rule also raises.
public enum AlertType: String, CaseIterable, Sendable, Codable {
    /// Every consultation, for brands that want to follow each scan.
    case everyScan = "every_scan"
    /// An unknown serial or a wrong token under one of the brand's GTINs.
    case counterfeit
    /// Many counterfeit scans from one visitor within an hour: someone trying serials.
    case serialProbing = "serial_probing"
    /// A seal verified in more distinct sessions than the brand expects of one product.
    case scanSessionsExceeded = "scan_sessions_exceeded"
    /// Scanned in a country outside the seal's intended markets (those of the partner it was shipped to, else its batch's, else the rule's).
    case offMarket = "off_market"
    /// Scanned in a country on the brand's watch list.
    case exceptionalCountry = "exceptional_country"
    /// Two scans of one seal in different countries, closer in time than a journey allows.
    case geoJump = "geo_jump"
    case recalledScanned = "recalled_scanned"
    case inactiveScanned = "inactive_scanned"
    case expiredScanned = "expired_scanned"
    /// An NFC seal tapped: the tamper loop says it has been opened.
    case tamperedScanned = "tampered_scanned"
    /// A unit the brand's supply-chain events report stolen was scanned: where it surfaced.
    case stolenScanned = "stolen_scanned"
    /// A unit reported destroyed was scanned: its seal is on something it should not be.
    case destroyedScanned = "destroyed_scanned"
    /// An NFC tap URL opened again by someone else: a copy of a real tap.
    case replayedTap = "replayed_tap"
    /// A consumer used "Report a problem" on a scan page; raised for every report, with no rule.
    case consumerReport = "consumer_report"
}
