import Foundation
import Logging
import PostgresNIO

/// Reads a brand's audit log, newest first, paged by id.
struct AuditEventStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct Event: Sendable {
        var id: Int64
        var occurredAt: String
        var actorKind: String
        var actorName: String
        var action: String
        var subject: String
        var details: [String: String]
    }

    /// Events with ids below `before`, of one action family (`product`,
    /// `seal_batch`…) when `family` is given.
    func events(brandID: Int64, family: String?, before: Int64?, limit: Int) async throws -> [Event] {
        let rows = try await database.query("""
            SELECT id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), actor_kind, actor_name, action, subject,
                   details::text
            FROM audit_events
            WHERE brand_id = \(brandID)
              AND (\(family)::text IS NULL OR split_part(action, '.', 1) = \(family))
              AND (\(before)::bigint IS NULL OR id < \(before))
            ORDER BY id DESC
            LIMIT \(limit)
            """, logger: logger)
        var events: [Event] = []
        for try await (id, time, kind, name, action, subject, details)
            in rows.decode((Int64, String, String, String, String, String, String).self) {
            let decoded = (try? JSONDecoder().decode([String: String].self, from: Data(details.utf8))) ?? [:]
            events.append(Event(
                id: id, occurredAt: time, actorKind: kind, actorName: name, action: action, subject: subject, details: decoded))
        }
        return events
    }

    /// The action families the brand's log holds, for the filter.
    func families(brandID: Int64) async throws -> [String] {
        let rows = try await database.query("""
            SELECT DISTINCT split_part(action, '.', 1) FROM audit_events WHERE brand_id = \(brandID) ORDER BY 1
            """, logger: logger)
        var families: [String] = []
        for try await family in rows.decode(String.self) { families.append(family) }
        return families
    }
}
