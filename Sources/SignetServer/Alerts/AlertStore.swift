import Foundation
import Logging
import PostgresNIO
import SignetCore

/// The brand's alerts for the inbox and the API: listed newest first,
/// filtered, paged by id; acknowledged, resolved with a note, reopened.
struct AlertStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct Filter: Sendable {
        var types: [String]?
        var statuses: [String]?
        var gtin: String?
        var country: String?
        /// The scan's time, from (inclusive) and to (exclusive).
        var from: Date?
        var to: Date?
        /// Only alerts about these products (a narrowed access); nil for all.
        var productIDs: [Int64]?
        /// Only alerts with a smaller id (the cursor).
        var before: Int64?
        var limit: Int

        /// The open view is what needs attention: a filter on open alerts alone
        /// leaves informational ones out, unless it asks for `every_scan` by type.
        var includesInformational: Bool {
            statuses != [AlertStatus.open.rawValue] || types?.contains(AlertType.everyScan.rawValue) == true
        }
    }

    struct Alert: Sendable {
        var id: Int64
        var type: AlertType
        var status: AlertStatus
        var scannedAt: Date
        var createdAt: Date
        var gtin: String
        var serial: String?
        var sealID: Int64?
        var productID: Int64?
        var lotID: Int64?
        /// The lot code as the scan knew it; nil without one (and for alerts older than migration 0023).
        var lot: String?
        var country: String
        /// The language the scan page was served in; nil for alerts older than migration 0023.
        var language: Language?
        var verdict: String
        var consultationID: Int64
        /// The facts that explain it, by name.
        var detail: [String: String]
        var note: String?
        var statusChangedAt: Date?
        var statusChangedBy: String?
        /// A `consumer_report` alert's report: what the consumer wrote, and whether a photo came with it.
        var report: Report?
        /// Where it stands in the live feed's order.
        var feedPosition: AlertFeedPosition
        /// A record of a scan rather than a problem to handle (`every_scan`, unless its rule asks for the inbox).
        var informational: Bool
    }

    struct Report: Sendable {
        var id: Int64
        var message: String
        var hasPhoto: Bool
        /// `shop`, `website` or `other`.
        var purchasePlace: String
        var seller: String
    }

    func list(brandID: Int64, _ filter: Filter) async throws -> [Alert] {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns)
            FROM \(unescaped: Self.from)
            WHERE a.brand_id = \(brandID)
              AND (\(filter.types)::text[] IS NULL OR a.type = ANY (\(filter.types)))
              AND (\(filter.statuses)::text[] IS NULL OR a.status = ANY (\(filter.statuses)))
              AND (\(filter.gtin)::text IS NULL OR a.gtin = \(filter.gtin))
              AND (\(filter.country)::text IS NULL OR a.country = \(filter.country))
              AND (\(filter.from)::timestamptz IS NULL OR a.scanned_at >= \(filter.from))
              AND (\(filter.to)::timestamptz IS NULL OR a.scanned_at < \(filter.to))
              AND (\(filter.productIDs)::bigint[] IS NULL OR a.product_id = ANY (\(filter.productIDs)))
              AND (\(filter.before)::bigint IS NULL OR a.id < \(filter.before))
              AND (\(filter.includesInformational) OR NOT a.informational)
            ORDER BY a.id DESC
            LIMIT \(filter.limit)
            """, logger: logger)
        var alerts: [Alert] = []
        for try await row in rows { alerts.append(try Self.alert(row)) }
        return alerts
    }

    /// The brand's alerts after `position` in stream order, for the live feed:
    /// only alerts whose transaction is older than the oldest still running,
    /// so an alert committed late (a lower id, an earlier transaction) is
    /// read when it can no longer be overtaken, never skipped (migration 0022).
    func after(brandID: Int64, position: AlertFeedPosition, productIDs: [Int64]?, limit: Int) async throws -> [Alert] {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns)
            FROM \(unescaped: Self.from)
            WHERE a.brand_id = \(brandID) AND (a.xact, a.id) > (\(position.xactText)::xid8, \(position.id))
              AND a.xact < pg_snapshot_xmin(pg_current_snapshot())
              AND (\(productIDs)::bigint[] IS NULL OR a.product_id = ANY (\(productIDs)))
            ORDER BY a.xact, a.id
            LIMIT \(limit)
            """, logger: logger)
        var alerts: [Alert] = []
        for try await row in rows { alerts.append(try Self.alert(row)) }
        return alerts
    }

    /// Where a new feed starts: at the stream's horizon, with the brand's
    /// alerts already committed beyond it, which the feed must not send as new.
    /// Both come from one snapshot, so an alert missing from `alreadyThere`
    /// commits later and is sent.
    func feedStart(brandID: Int64) async throws -> (position: AlertFeedPosition, alreadyThere: Set<Int64>) {
        let rows = try await database.query("""
            SELECT h.xmin::text, array(SELECT a.id FROM alerts a WHERE a.brand_id = \(brandID) AND a.xact >= h.xmin
                                       ORDER BY a.id DESC LIMIT \(Self.feedStartLimit))
            FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) h
            """, logger: logger).collect()
        let (xmin, ids) = try rows[0].decode((String, [Int64]).self)
        return (try AlertFeedPosition(xactText: xmin, id: 0), Set(ids))
    }

    /// At most this many alerts committed beyond the horizon are remembered by
    /// a new feed; beyond that (a long transaction somewhere holding the
    /// horizon back), older ones may be sent again, never missed.
    static let feedStartLimit = 10_000

    /// The position of one of the brand's alerts (a feed's `Last-Event-ID`); nil when it has none such.
    func feedPosition(brandID: Int64, alertID: Int64) async throws -> AlertFeedPosition? {
        let rows = try await database.query(
            "SELECT xact::text FROM alerts WHERE brand_id = \(brandID) AND id = \(alertID)", logger: logger).collect()
        return try rows.first.map { try AlertFeedPosition(xactText: try $0.decode(String.self), id: alertID) }
    }

    /// The brand's alerts with these ids, oldest first (an alert e-mail's list).
    func withIDs(brandID: Int64, _ ids: [Int64]) async throws -> [Alert] {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns)
            FROM \(unescaped: Self.from)
            WHERE a.brand_id = \(brandID) AND a.id = ANY (\(ids))
            ORDER BY a.id
            """, logger: logger)
        var alerts: [Alert] = []
        for try await row in rows { alerts.append(try Self.alert(row)) }
        return alerts
    }

    func find(brandID: Int64, id: Int64, productIDs: [Int64]?) async throws -> Alert? {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns)
            FROM \(unescaped: Self.from)
            WHERE a.brand_id = \(brandID) AND a.id = \(id)
              AND (\(productIDs)::bigint[] IS NULL OR a.product_id = ANY (\(productIDs)))
            """, logger: logger).collect()
        return try rows.first.map(Self.alert)
    }

    /// Moves an alert to `status` (a note only when resolving) and audits it.
    /// - Returns: the alert as it now is; nil when the brand has no such alert
    ///   (or the user may not see its product).
    func change(
        brandID: Int64, id: Int64, to status: AlertStatus, note: String?, productIDs: [Int64]?, actor: AuditActor, userID: Int64?
    ) async throws -> Alert? {
        let changed = try await database.transaction(logger: logger) { connection -> Bool in
            let rows = try await connection.query("""
                UPDATE alerts SET status = \(status.rawValue), note = \(status == .resolved ? note : nil),
                                  status_changed_at = now(), status_changed_by = \(userID)
                WHERE brand_id = \(brandID) AND id = \(id)
                  AND (\(productIDs)::bigint[] IS NULL OR product_id = ANY (\(productIDs)))
                RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { return false }
            var details = ["status": status.rawValue]
            if status == .resolved, let note { details["note"] = note }
            try await AuditLog.record(
                "alert.\(status.rawValue)", subject: "alert:\(id)", details: details, brandID: brandID, actor: actor,
                on: connection, logger: logger)
            return true
        }
        return changed ? try await find(brandID: brandID, id: id, productIDs: productIDs) : nil
    }

    private static let columns = """
        a.id, a.type, a.status, a.scanned_at, a.created_at, a.gtin, a.serial, a.seal_id, a.product_id, a.lot_id,
        a.country, a.verdict, a.consultation_id, a.detail::text, a.note, a.status_changed_at, u.email,
        r.id, r.message, r.photo IS NOT NULL, r.purchase_place, r.seller, a.xact::text, a.lot, a.language::text, a.informational
        """

    private static let from = """
        alerts a
        LEFT JOIN users u ON u.id = a.status_changed_by
        LEFT JOIN consumer_reports r ON a.type = 'consumer_report' AND r.consultation_id = a.consultation_id
        """

    /// A consumer report's photo, if the brand has that report and the reader may see its product.
    func reportPhoto(brandID: Int64, reportID: Int64, productIDs: [Int64]?) async throws -> (bytes: ByteBuffer, type: String)? {
        let rows = try await database.query("""
            SELECT r.photo, r.photo_type FROM consumer_reports r
            JOIN alerts a ON a.type = 'consumer_report' AND a.consultation_id = r.consultation_id
            WHERE r.brand_id = \(brandID) AND r.id = \(reportID) AND r.photo IS NOT NULL
              AND (\(productIDs)::bigint[] IS NULL OR a.product_id = ANY (\(productIDs)))
            """, logger: logger).collect()
        return try rows.first?.decode((ByteBuffer, String).self)
    }

    private static func alert(_ row: PostgresRow) throws -> Alert {
        let cells = row.makeRandomAccess()
        let typeName = try cells[1].decode(String.self)
        let statusName = try cells[2].decode(String.self)
        guard let type = AlertType(rawValue: typeName), let status = AlertStatus(rawValue: statusName) else {
            throw AlertStoreError.unknownValue("\(typeName)/\(statusName)")
        }
        let detailJSON = try cells[13].decode(String.self)
        let detail = (try? JSONDecoder().decode([String: String].self, from: Data(detailJSON.utf8))) ?? [:]
        return Alert(
            id: try cells[0].decode(Int64.self), type: type, status: status,
            scannedAt: try cells[3].decode(Date.self), createdAt: try cells[4].decode(Date.self),
            gtin: try cells[5].decode(String.self), serial: try cells[6].decode(String?.self),
            sealID: try cells[7].decode(Int64?.self), productID: try cells[8].decode(Int64?.self),
            lotID: try cells[9].decode(Int64?.self), lot: try cells[23].decode(String?.self),
            country: try cells[10].decode(String.self),
            language: try cells[24].decode(String?.self).flatMap(Language.init(rawValue:)),
            verdict: try cells[11].decode(String.self), consultationID: try cells[12].decode(Int64.self),
            detail: detail, note: try cells[14].decode(String?.self), statusChangedAt: try cells[15].decode(Date?.self),
            statusChangedBy: try cells[16].decode(String?.self),
            report: try cells[17].decode(Int64?.self).map { id in
                Report(
                    id: id, message: try cells[18].decode(String?.self) ?? "", hasPhoto: try cells[19].decode(Bool?.self) ?? false,
                    purchasePlace: try cells[20].decode(String?.self) ?? "other", seller: try cells[21].decode(String?.self) ?? "")
            },
            feedPosition: try AlertFeedPosition(xactText: try cells[22].decode(String.self), id: try cells[0].decode(Int64.self)),
            informational: try cells[25].decode(Bool.self))
    }
}

enum AlertStoreError: Error {
    case unknownValue(String)
}
