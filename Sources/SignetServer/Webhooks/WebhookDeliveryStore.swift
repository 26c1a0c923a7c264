import Foundation
import Logging
import PostgresNIO
import SignetCore

/// The webhook outbox. Alerts are queued by a trigger in the transaction that
/// records them; dispatchers in any instance claim due deliveries with
/// `FOR UPDATE SKIP LOCKED` and hold them by a lease while they send, so no
/// transaction stays open across an HTTP call, and a delivery whose
/// dispatcher died is taken over when its lease runs out (at-least-once).
struct WebhookDeliveryStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    /// A delivery claimed for one attempt.
    struct Claim: Sendable {
        var id: Int64
        var brandID: Int64
        var brandSlug: String
        var brandName: String
        var endpointID: Int64
        var messageID: String
        var eventType: String
        var alertID: Int64?
        /// Nil until a first attempt fixes it.
        var body: [UInt8]?
        /// This attempt's number, from 1.
        var attempt: Int
        var url: String
        var sealedSecret: [UInt8]
    }

    /// What one attempt got back.
    struct Outcome: Sendable {
        var status: Int?
        var error: String?
        var latency: Duration
        var responseHead: String?

        var succeeded: Bool { status.map { (200..<300).contains($0) } ?? false }
    }

    struct Delivery: Sendable {
        var id: Int64
        var messageID: String
        var eventType: String
        var alertID: Int64?
        var alertType: String?
        var state: String
        var attempts: Int
        var nextAttemptAt: Date
        var createdAt: Date
        var finishedAt: Date?
        var body: String?
        var log: [Attempt]
    }

    struct Attempt: Sendable {
        var attemptedAt: Date
        var status: Int?
        var error: String?
        var latencyMilliseconds: Int
        var responseHead: String?
    }

    /// Claims up to `limit` due deliveries of enabled endpoints for `lease`.
    func claim(limit: Int, lease: Duration) async throws -> [Claim] {
        let leaseSeconds = Double(lease.components.seconds)
        let rows = try await database.query("""
            WITH due AS (
                SELECT d.id FROM webhook_deliveries d
                JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
                WHERE d.state = 'pending' AND d.next_attempt_at <= now()
                  AND (d.leased_until IS NULL OR d.leased_until < now())
                ORDER BY d.next_attempt_at
                LIMIT \(limit)
                FOR UPDATE OF d SKIP LOCKED)
            UPDATE webhook_deliveries d
            SET leased_until = now() + make_interval(secs => \(leaseSeconds)), attempts = d.attempts + 1
            FROM due, webhook_endpoints e, brands b
            WHERE d.id = due.id AND e.id = d.endpoint_id AND b.id = d.brand_id
            RETURNING d.id, d.brand_id, b.slug, b.name, d.endpoint_id, d.message_id, d.event_type, d.alert_id, d.body, d.attempts,
                      e.url, e.secret_sealed
            """, logger: logger).collect()
        return try rows.map { row in
            let (id, brandID, slug, brandName, endpointID, messageID, eventType, alertID, body, attempt, url, secret) = try row.decode(
                (Int64, Int64, String, String, Int64, String, String, Int64?, ByteBuffer?, Int, String, ByteBuffer).self)
            return Claim(
                id: id, brandID: brandID, brandSlug: slug, brandName: brandName, endpointID: endpointID, messageID: messageID, eventType: eventType, alertID: alertID,
                body: body.map { Array($0.readableBytesView) }, attempt: attempt, url: url,
                sealedSecret: Array(secret.readableBytesView))
        }
    }

    /// Records an attempt: delivered, scheduled again, or given up; and the
    /// endpoint's failure run, which may switch it off.
    /// - Parameter body: the bytes sent, kept so every later attempt sends them again;
    ///   nil when none could be made.
    /// - Returns: the run of failures when this attempt switched the endpoint off,
    ///   nil otherwise; nothing is recorded when the claim was taken over by
    ///   another dispatcher meanwhile.
    @discardableResult
    func record(_ claim: Claim, body: [UInt8]?, outcome: Outcome, random: Double = .random(in: 0...1)) async throws -> Int? {
        let wait = outcome.succeeded ? nil : WebhookRetrySchedule.wait(afterFailedAttempts: claim.attempt, random: random)
        let nextState = outcome.succeeded ? "delivered" : (wait == nil ? "failed" : "pending")
        let waitSeconds = Double(wait?.components.seconds ?? 0) + Double(wait?.components.attoseconds ?? 0) / 1e18
        let latency = Int(outcome.latency.components.seconds * 1000 + outcome.latency.components.attoseconds / 1_000_000_000_000_000)
        return try await database.transaction(logger: logger) { connection -> Int? in
            // The endpoint's row first, then the delivery's: the order a deleted endpoint's
            // cascade takes them in, so a delete during an attempt cannot deadlock with it.
            let endpoint = try await connection.query(
                "SELECT 1 FROM webhook_endpoints WHERE id = \(claim.endpointID) FOR UPDATE", logger: logger
            ).collect()
            guard !endpoint.isEmpty else { return nil }
            let updated = try await connection.query("""
                UPDATE webhook_deliveries SET
                    state = \(nextState), body = coalesce(body, \(body.map { ByteBuffer(bytes: $0) })), leased_until = NULL,
                    next_attempt_at = CASE WHEN \(nextState) = 'pending' THEN now() + make_interval(secs => \(waitSeconds))
                                           ELSE next_attempt_at END,
                    finished_at = CASE WHEN \(nextState) = 'pending' THEN NULL ELSE now() END
                WHERE id = \(claim.id) AND attempts = \(claim.attempt) AND state = 'pending'
                RETURNING id
                """, logger: logger).collect()
            guard !updated.isEmpty else { return nil }
            try await connection.query("""
                INSERT INTO webhook_attempts (delivery_id, status, error, latency_ms, response_head)
                VALUES (\(claim.id), \(outcome.status), \(outcome.error.map { String($0.prefix(500)) }), \(latency),
                        \(outcome.responseHead))
                """, logger: logger)
            if outcome.succeeded {
                try await connection.query("""
                    UPDATE webhook_endpoints SET consecutive_failures = 0, failing_since = NULL
                    WHERE id = \(claim.endpointID) AND consecutive_failures > 0
                    """, logger: logger)
                return nil
            }
            let rows = try await connection.query("""
                UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1,
                                             failing_since = coalesce(failing_since, now())
                WHERE id = \(claim.endpointID)
                RETURNING consecutive_failures, extract(epoch FROM now() - failing_since)::float8, enabled, url
                """, logger: logger).collect()
            guard let row = rows.first else { return nil }
            let (failures, elapsed, enabled, url) = try row.decode((Int, Double, Bool, String).self)
            guard enabled, WebhookEndpointHealth.shouldDisable(consecutiveFailures: failures, failingFor: .seconds(elapsed)) else {
                return nil
            }
            try await connection.query("""
                UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'failing', disabled_at = now()
                WHERE id = \(claim.endpointID)
                """, logger: logger)
            try await AuditLog.record(
                "webhook.disable", subject: "webhook:\(claim.endpointID)",
                details: ["url": url, "consecutive_failures": String(failures)], brandID: claim.brandID, actor: .system,
                on: connection, logger: logger)
            return failures
        }
    }

    /// Queues a `webhook.test` event for one endpoint, with its body fixed now.
    func enqueueTest(brandID: Int64, endpointID: Int64, body: (String) -> [UInt8]) async throws -> Int64? {
        try await database.transaction(logger: logger) { connection -> Int64? in
            let rows = try await connection.query("""
                INSERT INTO webhook_deliveries (brand_id, endpoint_id, event_type)
                SELECT brand_id, id, 'webhook.test' FROM webhook_endpoints WHERE brand_id = \(brandID) AND id = \(endpointID)
                RETURNING id, message_id
                """, logger: logger).collect()
            guard let row = rows.first else { return nil }
            let (id, messageID) = try row.decode((Int64, String).self)
            try await connection.query(
                "UPDATE webhook_deliveries SET body = \(ByteBuffer(bytes: body(messageID))) WHERE id = \(id)", logger: logger)
            return id
        }
    }

    enum Redelivery: Equatable {
        case queued
        /// An attempt is under way: it is left to finish (and be recorded) first.
        case inFlight
        case notFound
    }

    /// Sends a delivery again now, with its id and body unchanged, on a fresh retry schedule.
    func redeliver(brandID: Int64, endpointID: Int64, id: Int64, actor: AuditActor) async throws -> Redelivery {
        try await database.transaction(logger: logger) { connection -> Redelivery in
            let rows = try await connection.query("""
                UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = now(), leased_until = NULL,
                                              finished_at = NULL
                WHERE brand_id = \(brandID) AND endpoint_id = \(endpointID) AND id = \(id)
                  AND (leased_until IS NULL OR leased_until < now())
                RETURNING message_id
                """, logger: logger).collect()
            guard let row = rows.first else {
                let exists = try await connection.query(
                    "SELECT 1 FROM webhook_deliveries WHERE brand_id = \(brandID) AND endpoint_id = \(endpointID) AND id = \(id)",
                    logger: logger
                ).collect()
                return exists.isEmpty ? .notFound : .inFlight
            }
            try await AuditLog.record(
                "webhook.redeliver", subject: "webhook:\(endpointID)", details: ["message_id": try row.decode(String.self)],
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return .queued
        }
    }

    func find(brandID: Int64, endpointID: Int64, id: Int64) async throws -> Delivery? {
        try await recent(brandID: brandID, endpointID: endpointID, only: id, limit: 1).first
    }

    /// The endpoint's latest deliveries, newest first, each with its attempts.
    func recent(brandID: Int64, endpointID: Int64, only id: Int64? = nil, limit: Int) async throws -> [Delivery] {
        let rows = try await database.query("""
            SELECT d.id, d.message_id, d.event_type, d.alert_id, a.type, d.state, d.attempts, d.next_attempt_at, d.created_at,
                   d.finished_at, convert_from(d.body, 'UTF8'),
                   coalesce((SELECT jsonb_agg(jsonb_build_object(
                                 'at', extract(epoch FROM t.attempted_at), 'status', t.status, 'error', t.error,
                                 'latency_ms', t.latency_ms, 'head', t.response_head) ORDER BY t.id DESC)
                             FROM webhook_attempts t WHERE t.delivery_id = d.id), '[]')::text
            FROM webhook_deliveries d LEFT JOIN alerts a ON a.id = d.alert_id
            WHERE d.brand_id = \(brandID) AND d.endpoint_id = \(endpointID) AND (\(id)::bigint IS NULL OR d.id = \(id))
            ORDER BY d.id DESC
            LIMIT \(limit)
            """, logger: logger).collect()
        return try rows.map { row in
            let (id, messageID, eventType, alertID, alertType, state, attempts, next, created, finished, body, logJSON) = try row.decode(
                (Int64, String, String, Int64?, String?, String, Int, Date, Date, Date?, String?, String).self)
            let log = (try? JSONDecoder().decode([AttemptRow].self, from: Data(logJSON.utf8))) ?? []
            return Delivery(
                id: id, messageID: messageID, eventType: eventType, alertID: alertID, alertType: alertType, state: state,
                attempts: attempts, nextAttemptAt: next, createdAt: created, finishedAt: finished, body: body,
                log: log.map {
                    Attempt(
                        attemptedAt: Date(timeIntervalSince1970: $0.at), status: $0.status, error: $0.error,
                        latencyMilliseconds: $0.latency_ms, responseHead: $0.head)
                })
        }
    }

    private struct AttemptRow: Decodable {
        var at: Double
        var status: Int?
        var error: String?
        var latency_ms: Int
        var head: String?
    }
}
