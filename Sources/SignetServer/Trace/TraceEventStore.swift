import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Reads captured events back as their JSON-LD, with the `recordTime` Signet
/// set, in record order (which is what a page token continues from).
struct TraceEventStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct Page: Sendable {
        var events: [String]
        /// The id to continue after, when there are more.
        var next: Int64?
    }

    private static let document = """
        e.document || jsonb_build_object('recordTime', to_char(e.record_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
        """

    func events(brandID: Int64, _ query: EPCISEventQuery) async throws -> Page {
        var binds = PostgresBindings()
        func bind(_ value: some PostgresEncodable) throws -> String {
            try binds.append(value)
            return "$\(binds.count)"
        }
        var conditions = try ["e.brand_id = \(bind(brandID))"]
        if let after = query.after { try conditions.append("e.id > \(bind(after))") }
        if let types = query.eventTypes { try conditions.append("e.event_type = ANY(\(bind(types.map(\.rawValue))))") }
        if let actions = query.actions { try conditions.append("e.action = ANY(\(bind(actions.map(\.rawValue))))") }
        if let steps = query.bizSteps { try conditions.append("e.biz_step = ANY(\(bind(steps)))") }
        if let dispositions = query.dispositions { try conditions.append("e.disposition = ANY(\(bind(dispositions)))") }
        if let points = query.readPoints { try conditions.append("e.read_point = ANY(\(bind(points)))") }
        if let locations = query.bizLocations { try conditions.append("e.biz_location = ANY(\(bind(locations)))") }
        if let ids = query.eventIDs { try conditions.append("e.event_id = ANY(\(bind(ids)))") }
        if let from = query.eventTimeFrom { try conditions.append("e.event_time >= \(bind(from))") }
        if let before = query.eventTimeBefore { try conditions.append("e.event_time < \(bind(before))") }
        if let from = query.recordTimeFrom { try conditions.append("e.record_time >= \(bind(from))") }
        if let before = query.recordTimeBefore { try conditions.append("e.record_time < \(bind(before))") }
        for match in query.matches {
            var alternatives = try ["i.uri = ANY(\(bind(match.patterns.map(\.exact))))"]
            for prefix in match.patterns.compactMap(\.prefix) {
                try alternatives.append("i.uri LIKE \(bind(Self.likePrefix(prefix)))")
            }
            try conditions.append("""
                e.id IN (SELECT i.event_id FROM trace_event_identifiers i
                         WHERE i.brand_id = \(bind(brandID)) AND i.role = ANY(\(bind(match.roles)))
                           AND (\(alternatives.joined(separator: " OR "))))
                """)
        }
        let sql = """
            SELECT e.id, (\(Self.document))::text FROM trace_events e
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY e.id
            LIMIT \(query.perPage + 1)
            """
        var events: [String] = []
        var lastID: Int64?
        for try await (id, document) in try await database.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            .decode((Int64, String).self)
        {
            guard events.count < query.perPage else { return Page(events: events, next: lastID) }
            events.append(document)
            lastID = id
        }
        return Page(events: events, next: nil)
    }

    /// The event with `eventID`, and its error declaration when there is one.
    func event(brandID: Int64, eventID: String) async throws -> [String] {
        var events: [String] = []
        for try await document in try await database.query("""
            SELECT (\(unescaped: Self.document))::text FROM trace_events e
            WHERE e.brand_id = \(brandID) AND e.event_id = \(eventID)
            ORDER BY e.declares_error
            """, logger: logger).decode(String.self) {
            events.append(document)
        }
        return events
    }

    /// `prefix` as a LIKE pattern matching what starts with it.
    static func likePrefix(_ prefix: String) -> String {
        prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}
