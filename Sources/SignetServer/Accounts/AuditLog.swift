import Foundation
import Logging
import PostgresNIO

/// Appends to `audit_events`, inside the caller's transaction so the event and
/// the change it describes commit together or not at all.
enum AuditLog {
    static func record(
        _ action: String, subject: String, details: [String: String] = [:], brandID: Int64, actor: AuditActor,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let detailsJSON = try String(decoding: JSONEncoder().encode(details), as: UTF8.self)
        try await connection.query("""
            INSERT INTO audit_events (brand_id, actor_kind, actor_id, actor_name, action, subject, details)
            VALUES (\(brandID), \(actor.kind), \(actor.id), \(actor.name), \(action), \(subject), \(detailsJSON)::jsonb)
            """, logger: logger)
    }
}
