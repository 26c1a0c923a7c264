import Foundation
import Logging
import PostgresNIO
import SignetCore

/// What the portal shows of the supply chain: recent events, a partner's
/// shipments and where its units were scanned, a seal's events, and a lot's
/// recall report.
struct TraceReportStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct EventSummary: Sendable {
        var eventID: String
        var type: String
        var time: Date
        var bizStep: String?
        var disposition: String?
        var holderGLN: String?
        var holderName: String?
        /// Seals the event reached (named or inside its containers).
        var units: Int
        var declaresError: Bool
    }

    private static let summaryColumns = """
        e.event_id, e.event_type, e.event_time, e.biz_step, e.disposition, e.holder_gln, p.name,
        (SELECT count(*)::int FROM trace_event_seals s WHERE s.event_id = e.id), e.declares_error
        """

    private func summaries(_ query: PostgresQuery) async throws -> [EventSummary] {
        var found: [EventSummary] = []
        for try await (id, type, time, step, disposition, holder, name, units, declares) in try await database.query(query, logger: logger)
            .decode((String, String, Date, String?, String?, String?, String?, Int, Bool).self)
        {
            found.append(EventSummary(eventID: id, type: type, time: time, bizStep: step, disposition: disposition,
                                      holderGLN: holder, holderName: name, units: units, declaresError: declares))
        }
        return found
    }

    /// The brand's latest events by record time.
    func recentEvents(brandID: Int64, limit: Int = 50) async throws -> [EventSummary] {
        try await summaries("""
            SELECT \(unescaped: Self.summaryColumns)
            FROM trace_events e LEFT JOIN partners p ON p.brand_id = e.brand_id AND p.gln = e.holder_gln
            WHERE e.brand_id = \(brandID)
            ORDER BY e.id DESC LIMIT \(limit)
            """)
    }

    /// Events that left goods with the partner (shipments to it, receipts at it), newest first.
    func shipments(brandID: Int64, gln: GLN, limit: Int = 100) async throws -> [EventSummary] {
        try await summaries("""
            SELECT \(unescaped: Self.summaryColumns)
            FROM trace_events e LEFT JOIN partners p ON p.brand_id = e.brand_id AND p.gln = e.holder_gln
            WHERE e.brand_id = \(brandID) AND e.holder_gln = \(gln.digits)
            ORDER BY e.event_time DESC, e.id DESC LIMIT \(limit)
            """)
    }

    struct CountryCount: Sendable, Equatable {
        var country: String
        var consultations: Int
        var seals: Int
    }

    /// Where units that ever went to the partner were scanned after they went there.
    func scansOfShippedUnits(brandID: Int64, gln: GLN) async throws -> [CountryCount] {
        try await countryCounts("""
            WITH shipped AS (
                SELECT s.seal_id, min(e.event_time) AS since
                FROM trace_events e JOIN trace_event_seals s ON s.event_id = e.id
                WHERE e.brand_id = \(brandID) AND e.holder_gln = \(gln.digits) AND NOT e.declares_error
                GROUP BY s.seal_id)
            SELECT c.country, count(*)::int, count(DISTINCT c.seal_id)::int
            FROM shipped JOIN consultations c ON c.seal_id = shipped.seal_id AND c.scanned_at >= shipped.since
            WHERE c.brand_id = \(brandID)
            GROUP BY c.country ORDER BY 2 DESC, 1
            """)
    }

    private func countryCounts(_ query: PostgresQuery) async throws -> [CountryCount] {
        var counts: [CountryCount] = []
        for try await (country, consultations, seals) in try await database.query(query, logger: logger).decode((String, Int, Int).self) {
            counts.append(CountryCount(country: country, consultations: consultations, seals: seals))
        }
        return counts
    }

    struct SealEvent: Sendable {
        var eventID: String
        /// `YYYY-MM-DD HH:MM:SS`, UTC, as the seal page writes its consultations.
        var time: String
        var type: String
        var bizStep: String?
        var disposition: String?
        var holderGLN: String?
        var holderName: String?
        /// The container through which the event reached the seal.
        var viaSSCC: String?
        var declaresError: Bool
    }

    /// Every event that concerns the seal, oldest first.
    func events(brandID: Int64, sealID: Int64) async throws -> [SealEvent] {
        var found: [SealEvent] = []
        for try await (id, time, type, step, disposition, holder, name, via, declares) in try await database.query("""
            SELECT e.event_id, to_char(e.event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), e.event_type, e.biz_step, e.disposition, e.holder_gln, p.name, c.sscc, e.declares_error
            FROM trace_event_seals s
            JOIN trace_events e ON e.id = s.event_id
            LEFT JOIN partners p ON p.brand_id = e.brand_id AND p.gln = e.holder_gln
            LEFT JOIN containers c ON c.id = s.via_container_id
            WHERE s.seal_id = \(sealID) AND e.brand_id = \(brandID)
            ORDER BY e.event_time, e.id
            """, logger: logger).decode((String, String, String, String?, String?, String?, String?, String?, Bool).self) {
            found.append(SealEvent(eventID: id, time: time, type: type, bizStep: step, disposition: disposition, holderGLN: holder,
                                   holderName: name, viaSSCC: via, declaresError: declares))
        }
        return found
    }

    struct SealState: Sendable {
        var disposition: String?
        var holderGLN: String?
        var holderName: String?
    }

    func state(brandID: Int64, sealID: Int64) async throws -> SealState? {
        let rows = try await database.query("""
            SELECT t.disposition, t.holder_gln, p.name FROM seal_trace t
            LEFT JOIN partners p ON p.brand_id = t.brand_id AND p.gln = t.holder_gln
            WHERE t.seal_id = \(sealID) AND t.brand_id = \(brandID)
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (disposition, holder, name) = try row.decode((String?, String?, String?).self)
        return SealState(disposition: disposition, holderGLN: holder, holderName: name)
    }

    struct RecallReport: Sendable {
        var lotID: Int64
        var gtin: String
        var productName: String
        var code: String
        var recalledAt: Date?
        var units: Int
        var unitsScannedAfterRecall: Int
        /// Partners that received units of the lot, with how many, and whether they received the whole lot.
        var partners: [(gln: String, name: String?, units: Int, wholeLot: Bool)]
        /// Consultations of the lot's seals since the recall (all of them when it is not recalled).
        var countries: [CountryCount]
    }

    /// The lot's recall report; nil when the brand has no such lot.
    func recallReport(brandID: Int64, lotID: Int64, language: Language) async throws -> RecallReport? {
        let rows = try await database.query("""
            SELECT l.id, p.gtin, coalesce(t.name, d.name, p.gtin), l.code::text, l.recalled_at,
                   (SELECT count(*)::int FROM seals s WHERE s.lot_id = l.id)
            FROM lots l JOIN products p ON p.id = l.product_id
            LEFT JOIN product_translations t ON t.product_id = p.id AND t.language = \(language.rawValue)::signet_language
            LEFT JOIN product_translations d ON d.product_id = p.id AND d.language = p.default_language
            WHERE l.id = \(lotID) AND l.brand_id = \(brandID)
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (id, gtin, name, code, recalledAt, units) = try row.decode((Int64, String, String, String, Date?, Int).self)
        let since = recalledAt ?? Date(timeIntervalSince1970: 0)
        var partners: [(gln: String, name: String?, units: Int, wholeLot: Bool)] = []
        // Units the partner received by serial or in a container, and whole-lot
        // shipments (a quantity of the lot's class), whose units are not named.
        for try await (gln, partner, count, wholeLot) in try await database.query("""
            WITH received AS (
                SELECT e.holder_gln AS gln, s.seal_id, false AS whole_lot
                FROM seals l
                JOIN trace_event_seals s ON s.seal_id = l.id
                JOIN trace_events e ON e.id = s.event_id AND e.holder_gln IS NOT NULL AND NOT e.declares_error
                WHERE l.lot_id = \(id) AND e.brand_id = \(brandID)
                UNION ALL
                SELECT e.holder_gln, NULL, true
                FROM trace_event_identifiers i
                JOIN trace_events e ON e.id = i.event_id AND e.holder_gln IS NOT NULL AND NOT e.declares_error
                WHERE i.brand_id = \(brandID) AND i.role = 'class'
                  AND i.uri = 'https://id.gs1.org/01/' || \(gtin) || '/10/' || \(PercentEncoding.encodePathSegment(code)))
            SELECT r.gln, p.name, count(DISTINCT r.seal_id)::int, bool_or(r.whole_lot)
            FROM received r LEFT JOIN partners p ON p.brand_id = \(brandID) AND p.gln = r.gln
            GROUP BY r.gln, p.name ORDER BY 3 DESC, 1
            """, logger: logger).decode((String, String?, Int, Bool).self) {
            partners.append((gln, partner, count, wholeLot))
        }
        let countries = try await countryCounts("""
            SELECT c.country, count(*)::int, count(DISTINCT c.seal_id)::int
            FROM consultations c
            WHERE c.brand_id = \(brandID) AND c.lot_id = \(id) AND c.scanned_at >= \(since) AND c.seal_id IS NOT NULL
            GROUP BY c.country ORDER BY 2 DESC, 1
            """)
        let scanned = try await database.query("""
            SELECT count(DISTINCT c.seal_id)::int FROM consultations c
            WHERE c.brand_id = \(brandID) AND c.lot_id = \(id) AND c.scanned_at >= \(since) AND c.seal_id IS NOT NULL
            """, logger: logger).collect().first?.decode(Int.self) ?? 0
        return RecallReport(lotID: id, gtin: gtin, productName: name, code: code, recalledAt: recalledAt, units: units,
                            unitsScannedAfterRecall: scanned, partners: partners, countries: countries)
    }

    /// The brand's lots, recalled first, for the recall report's menu.
    func lots(brandID: Int64) async throws -> [(id: Int64, gtin: String, code: String, recalled: Bool)] {
        var lots: [(id: Int64, gtin: String, code: String, recalled: Bool)] = []
        for try await (id, gtin, code, recalled) in try await database.query("""
            SELECT l.id, p.gtin, l.code::text, l.status = 'recalled' FROM lots l JOIN products p ON p.id = l.product_id
            WHERE l.brand_id = \(brandID) ORDER BY l.status = 'recalled' DESC, p.gtin, l.code
            """, logger: logger).decode((Int64, String, String, Bool).self) {
            lots.append((id, gtin, code, recalled))
        }
        return lots
    }

    /// Creates the recall whose notice the scan pages of the recalled containers and serials show.
    func createRecall(brandID: Int64, notice: [String: String], reason: String, on connection: PostgresConnection) async throws -> Int64 {
        let json = String(decoding: try JSONEncoder().encode(notice), as: UTF8.self)
        let rows = try await connection.query("""
            INSERT INTO recalls (brand_id, notice, reason) VALUES (\(brandID), \(json)::jsonb, \(reason)) RETURNING id
            """, logger: logger).collect()
        return try rows[0].decode(Int64.self)
    }
}
