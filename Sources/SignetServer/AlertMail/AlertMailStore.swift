import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Each user's choice of alert e-mails, and the queue the `alerts` trigger
/// fills for them. A dispatcher claims one user's waiting alerts at a time
/// with `FOR UPDATE SKIP LOCKED` and a lease, so two instances never mail
/// the same alerts, and a dead instance's claim returns after the lease.
struct AlertMailStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    enum Frequency: String, Sendable, CaseIterable {
        case off
        /// One message per alert, as alerts come.
        case immediate
        /// At the top of each hour, one message with the alerts of the hours before.
        case hourly
    }

    struct Settings: Sendable, Equatable {
        var frequency: Frequency
        var types: [AlertType]
    }

    /// One user's waiting alerts, claimed for one message.
    struct Claim: Sendable {
        var queueIDs: [Int64]
        var alertIDs: [Int64]
        var userID: Int64
        var brandID: Int64
        var brandName: String
        var email: String
        var language: Language?
        var frequency: Frequency
        /// The highest attempt among the claimed rows, from 1.
        var attempt: Int
        var oldest: Date
    }

    static let lease: Duration = .seconds(120)
    /// A message the relay keeps refusing is given up after this long.
    static let givingUpAfter: Duration = .seconds(24 * 3600)

    func settings(userID: Int64) async throws -> Settings {
        let rows = try await database.query(
            "SELECT alert_mail, alert_mail_types FROM users WHERE id = \(userID)", logger: logger
        ).collect()
        guard let row = rows.first else { return Settings(frequency: .off, types: []) }
        let (frequency, types) = try row.decode((String, [String]).self)
        return Settings(frequency: Frequency(rawValue: frequency) ?? .off, types: types.compactMap(AlertType.init(rawValue:)))
    }

    /// Saves the choice; alerts still waiting for a user who turns e-mail off are dropped.
    func setSettings(userID: Int64, _ settings: Settings) async throws {
        try await database.transaction(logger: logger) { connection in
            try await connection.query("""
                UPDATE users SET alert_mail = \(settings.frequency.rawValue), alert_mail_types = \(settings.types.map(\.rawValue))
                WHERE id = \(userID)
                """, logger: logger)
            if settings.frequency == .off {
                try await connection.query(
                    "DELETE FROM alert_mail_queue WHERE user_id = \(userID) AND sent_at IS NULL", logger: logger)
            }
        }
    }

    /// Claims the waiting alerts of one user whose message is due, if any.
    func claim() async throws -> Claim? {
        let leaseSeconds = Double(Self.lease.components.seconds)
        let rows = try await database.query("""
            WITH due AS (
                SELECT q.user_id FROM alert_mail_queue q JOIN users u ON u.id = q.user_id
                WHERE q.sent_at IS NULL AND q.failed_at IS NULL AND q.not_before <= now() AND u.disabled_at IS NULL
                  AND (u.alert_mail = 'immediate'
                       OR (u.alert_mail = 'hourly' AND date_trunc('hour', q.created_at) < date_trunc('hour', now())))
                ORDER BY q.id
                LIMIT 1
                FOR UPDATE OF q SKIP LOCKED),
            claimed AS (
                UPDATE alert_mail_queue q
                SET not_before = now() + make_interval(secs => \(leaseSeconds)), attempts = q.attempts + 1
                FROM due, users u
                WHERE q.user_id = due.user_id AND u.id = q.user_id
                  AND q.sent_at IS NULL AND q.failed_at IS NULL AND q.not_before <= now()
                  -- A digest lists the hours that have ended; this hour's alerts wait for the next one.
                  AND (u.alert_mail = 'immediate' OR date_trunc('hour', q.created_at) < date_trunc('hour', now()))
                RETURNING q.id, q.alert_id, q.user_id, q.attempts, q.created_at)
            SELECT array_agg(c.id ORDER BY c.alert_id), array_agg(c.alert_id ORDER BY c.alert_id), u.id, u.brand_id, b.name,
                   u.email, u.language::text, u.alert_mail, max(c.attempts), min(c.created_at)
            FROM claimed c JOIN users u ON u.id = c.user_id JOIN brands b ON b.id = u.brand_id
            GROUP BY u.id, b.name
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (queueIDs, alertIDs, userID, brandID, brandName, email, language, frequency, attempt, oldest) = try row.decode(
            ([Int64], [Int64], Int64, Int64, String, String, String?, String, Int, Date).self)
        return Claim(
            queueIDs: queueIDs, alertIDs: alertIDs, userID: userID, brandID: brandID, brandName: brandName, email: email,
            language: language.flatMap(Language.init(rawValue:)), frequency: Frequency(rawValue: frequency) ?? .immediate,
            attempt: attempt, oldest: oldest)
    }

    func markSent(_ claim: Claim) async throws {
        try await database.query(
            "UPDATE alert_mail_queue SET sent_at = now() WHERE id = ANY (\(claim.queueIDs))", logger: logger)
    }

    /// Tries again later, a little later each time; gives up after a day.
    func markFailed(_ claim: Claim) async throws {
        let waitSeconds = Double(min(60 * (1 << min(claim.attempt, 6)), 3600))
        let giveUpSeconds = Double(Self.givingUpAfter.components.seconds)
        try await database.query("""
            UPDATE alert_mail_queue SET
                not_before = now() + make_interval(secs => \(waitSeconds)),
                failed_at = CASE WHEN created_at < now() - make_interval(secs => \(giveUpSeconds)) THEN now() END
            WHERE id = ANY (\(claim.queueIDs))
            """, logger: logger)
    }
}
