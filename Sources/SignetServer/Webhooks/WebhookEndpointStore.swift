import Foundation
import Logging
import PostgresNIO
import SignetCore

/// A brand's webhook endpoints. The signing secret is generated here, returned
/// once by `create`, and kept sealed with the server's secret key.
struct WebhookEndpointStore: Sendable {
    let database: PostgresClient
    /// Nil without SIGNET_SECRET_KEY: endpoints cannot be created then.
    let box: SecretBox?
    let logger: Logger

    struct Endpoint: Sendable {
        var id: Int64
        var url: String
        var description: String
        var alertTypes: [AlertType]
        var enabled: Bool
        var disabledReason: String?
        var disabledAt: Date?
        var consecutiveFailures: Int
        var failingSince: Date?
        var createdAt: Date
        /// Deliveries waiting for their next attempt.
        var pending: Int
    }

    enum Problem: Error {
        case noSecretKey
    }

    static let descriptionLimit = 200

    /// The description trimmed, or nil when it is too long (counted as the
    /// database counts, in code points) or holds control characters.
    static func checkedDescription(_ text: String?) -> String? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.unicodeScalars.count <= descriptionLimit,
              !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return trimmed
    }

    func list(brandID: Int64) async throws -> [Endpoint] {
        try await endpoints(brandID: brandID, id: nil)
    }

    func find(brandID: Int64, id: Int64) async throws -> Endpoint? {
        try await endpoints(brandID: brandID, id: id).first
    }

    /// - Returns: the endpoint and its secret, which is never shown again.
    func create(
        brandID: Int64, url: WebhookEndpointURL, description: String, alertTypes: [AlertType], actor: AuditActor
    ) async throws -> (Endpoint, WebhookSecret) {
        guard let box else { throw Problem.noSecretKey }
        let secret = WebhookSecret.generate()
        let sealed = try box.seal(secret.serialized)
        let types = alertTypes.map(\.rawValue)
        let id = try await database.transaction(logger: logger) { connection -> Int64 in
            let rows = try await connection.query("""
                INSERT INTO webhook_endpoints (brand_id, url, description, alert_types, secret_sealed)
                VALUES (\(brandID), \(url.text), \(description), \(types), \(ByteBuffer(bytes: sealed)))
                RETURNING id
                """, logger: logger).collect()
            let id = try rows[0].decode(Int64.self)
            try await AuditLog.record(
                "webhook.create", subject: "webhook:\(id)", details: ["url": url.text, "types": types.joined(separator: ",")],
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return id
        }
        guard let endpoint = try await find(brandID: brandID, id: id) else { throw AlertStoreError.unknownValue("webhook \(id)") }
        return (endpoint, secret)
    }

    /// Changes what is given; switching an endpoint back on clears its failure run.
    /// - Returns: nil when the brand has no such endpoint.
    func update(
        brandID: Int64, id: Int64, url: WebhookEndpointURL?, description: String?, alertTypes: [AlertType]?, enabled: Bool?,
        actor: AuditActor
    ) async throws -> Endpoint? {
        let found = try await database.transaction(logger: logger) { connection -> Bool in
            let rows = try await connection.query("""
                UPDATE webhook_endpoints SET
                    url = coalesce(\(url?.text)::text, url),
                    description = coalesce(\(description)::text, description),
                    alert_types = coalesce(\(alertTypes?.map(\.rawValue))::text[], alert_types),
                    enabled = coalesce(\(enabled)::boolean, enabled),
                    disabled_reason = CASE WHEN \(enabled)::boolean IS NULL THEN disabled_reason
                                           WHEN \(enabled)::boolean THEN NULL ELSE 'manual' END,
                    disabled_at = CASE WHEN \(enabled)::boolean IS NULL THEN disabled_at
                                       WHEN \(enabled)::boolean THEN NULL ELSE coalesce(disabled_at, now()) END,
                    consecutive_failures = CASE WHEN \(enabled)::boolean THEN 0 ELSE consecutive_failures END,
                    failing_since = CASE WHEN \(enabled)::boolean THEN NULL ELSE failing_since END,
                    updated_at = now()
                WHERE brand_id = \(brandID) AND id = \(id)
                RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { return false }
            var details: [String: String] = [:]
            if let url { details["url"] = url.text }
            if let alertTypes { details["types"] = alertTypes.map(\.rawValue).joined(separator: ",") }
            if let enabled { details["enabled"] = String(enabled) }
            try await AuditLog.record(
                "webhook.update", subject: "webhook:\(id)", details: details, brandID: brandID, actor: actor, on: connection,
                logger: logger)
            return true
        }
        return found ? try await find(brandID: brandID, id: id) : nil
    }

    /// Deletes the endpoint with its deliveries and their attempt log.
    func delete(brandID: Int64, id: Int64, actor: AuditActor) async throws -> Bool {
        try await database.transaction(logger: logger) { connection -> Bool in
            let rows = try await connection.query(
                "DELETE FROM webhook_endpoints WHERE brand_id = \(brandID) AND id = \(id) RETURNING url", logger: logger
            ).collect()
            guard let row = rows.first else { return false }
            try await AuditLog.record(
                "webhook.delete", subject: "webhook:\(id)", details: ["url": try row.decode(String.self)], brandID: brandID,
                actor: actor, on: connection, logger: logger)
            return true
        }
    }

    /// Endpoints switched off by the dispatcher after failing, for the portal's banner.
    func failingCount(brandID: Int64) async throws -> Int {
        let rows = try await database.query(
            "SELECT count(*)::integer FROM webhook_endpoints WHERE brand_id = \(brandID) AND disabled_reason = 'failing'",
            logger: logger
        ).collect()
        return try rows.first?.decode(Int.self) ?? 0
    }

    private func endpoints(brandID: Int64, id: Int64?) async throws -> [Endpoint] {
        let rows = try await database.query("""
            SELECT e.id, e.url, e.description, e.alert_types, e.enabled, e.disabled_reason, e.disabled_at,
                   e.consecutive_failures, e.failing_since, e.created_at,
                   (SELECT count(*)::integer FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.state = 'pending')
            FROM webhook_endpoints e
            WHERE e.brand_id = \(brandID) AND (\(id)::bigint IS NULL OR e.id = \(id))
            ORDER BY e.id
            """, logger: logger).collect()
        return try rows.map { row in
            let (id, url, description, types, enabled, reason, disabledAt, failures, failingSince, createdAt, pending) = try row.decode(
                (Int64, String, String, [String], Bool, String?, Date?, Int, Date?, Date, Int).self)
            return Endpoint(
                id: id, url: url, description: description, alertTypes: types.compactMap(AlertType.init(rawValue:)),
                enabled: enabled, disabledReason: reason, disabledAt: disabledAt, consecutiveFailures: failures,
                failingSince: failingSince, createdAt: createdAt, pending: pending)
        }
    }
}
