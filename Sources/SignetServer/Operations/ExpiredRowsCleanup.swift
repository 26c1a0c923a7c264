import Logging
import PostgresNIO
import ServiceLifecycle

/// Deletes what has expired: portal sessions past their absolute end, API
/// idempotency records older than 24 hours, product photos no product has
/// used for a week (pages cached before a photo changed keep theirs that
/// long), alert e-mails queued more than a week ago (sent, given up, or
/// waiting on a server without SMTP), and webhook deliveries finished more
/// than 30 days ago with their attempt log. Idempotent, so every instance may
/// run it.
package struct ExpiredRowsCleanup: Service {
    let database: PostgresClient
    let logger: Logger
    var interval: Duration = .seconds(600)

    package init(database: PostgresClient, logger: Logger, interval: Duration = .seconds(600)) {
        self.database = database
        self.logger = logger
        self.interval = interval
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await awaitAtMost(.seconds(60), otherwise: ()) { await clean() }
                try? await Task.sleep(for: interval)
            }
        }
    }

    package func clean() async {
        do {
            try await database.query("DELETE FROM sessions WHERE expires_at <= now()", logger: logger)
            try await database.query("DELETE FROM wallet_sign_in_links WHERE expires_at < now() - interval '1 day'", logger: logger)
            try await database.query("DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'", logger: logger)
            try await database.query("""
                DELETE FROM product_images i
                WHERE i.created_at < now() - interval '7 days'
                  AND NOT EXISTS (SELECT 1 FROM products p
                                  WHERE p.image_url LIKE '/media/products/' || encode(i.sha256, 'hex') || '.%')
                  AND NOT EXISTS (SELECT 1 FROM rewards r
                                  WHERE r.image_url LIKE '/media/products/' || encode(i.sha256, 'hex') || '.%')
                """, logger: logger)
            try await database.query("DELETE FROM alert_mail_queue WHERE created_at < now() - interval '7 days'", logger: logger)
            try await database.query(
                "DELETE FROM webhook_deliveries WHERE state <> 'pending' AND finished_at < now() - interval '30 days'", logger: logger)
        } catch {
            logger.warning("could not delete expired rows", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
