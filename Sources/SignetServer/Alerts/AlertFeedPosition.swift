/// Where a live feed stands among the alerts: everything up to this point,
/// in `(xact, id)` order, has been read.
///
/// Alerts are inserted by transactions that can commit out of id order (the
/// alerts consumer's batch, a consumer report), so an id alone is no safe
/// bookmark. Each alert records its transaction (`alerts.xact`, migration
/// 0022) and feeds read only alerts whose transaction is older than the
/// oldest one still running: no alert can later appear before a position.
struct AlertFeedPosition: Sendable, Hashable, Comparable {
    /// The writing transaction (`xid8`, a 64-bit number; 0 for alerts older than migration 0022).
    var xact: UInt64
    var id: Int64

    /// `xact` as PostgreSQL reads it (`\(position.xactText)::xid8`).
    var xactText: String { String(xact) }

    static func < (left: Self, right: Self) -> Bool {
        (left.xact, left.id) < (right.xact, right.id)
    }
}

enum AlertFeedPositionError: Error {
    case notATransaction(String)
}

extension AlertFeedPosition {
    /// From `xid8` as text and an id.
    init(xactText: String, id: Int64) throws {
        guard let xact = UInt64(xactText) else { throw AlertFeedPositionError.notATransaction(xactText) }
        self.init(xact: xact, id: id)
    }
}
