import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// New alerts for the portal's live feed. One instance reads the alerts table
/// once per poll interval (every brand at once, in stream order: see
/// `AlertFeedPosition`), whatever the number of open feeds, and wakes the
/// feeds of brands with new alerts; each feed then reads its own.
final class AlertFeed: Service, Sendable {
    /// How long one event stream stays open before the browser reconnects with
    /// `Last-Event-ID` (so a deploy or a proxy never holds a stream forever), and
    /// how often a comment line keeps idle proxies from closing it.
    struct Timing: Sendable {
        var pollInterval: Duration = .milliseconds(500)
        var streamLifetime: Duration = .seconds(300)
        var heartbeat: Duration = .seconds(15)
    }

    /// What wakes a feed up.
    enum Event: Sendable {
        /// The brand may have new alerts.
        case alerts
        case heartbeat
    }

    private struct State {
        var position: AlertFeedPosition?
        var subscribers: [UUID: (brandID: Int64, continuation: AsyncStream<Event>.Continuation)] = [:]
    }

    let database: PostgresClient
    let timing: Timing
    /// Open feeds per brand, the alert inbox's and the dashboard's together.
    let quota: LiveFeedQuota
    let logger: Logger
    private let state = Mutex(State())

    init(database: PostgresClient, timing: Timing, quota: LiveFeedQuota = LiveFeedQuota(perBrand: 20), logger: Logger) {
        self.database = database
        self.timing = timing
        self.quota = quota
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await awaitAtMost(.seconds(2), otherwise: ()) {
                    do {
                        try await self.poll()
                    } catch {
                        self.logger.warning("alert feed could not read new alerts", metadata: ["error": "\(String(reflecting: error))"])
                    }
                }
                try? await Task.sleep(for: self.timing.pollInterval)
            }
        }
        state.withLock { state in
            for subscriber in state.subscribers.values { subscriber.continuation.finish() }
            state.subscribers = [:]
        }
    }

    /// Sends `.alert` to `continuation` when the brand has new alerts (the feed
    /// reads them itself, with its reader's access); finishes it at shutdown.
    func subscribe(brandID: Int64, _ continuation: AsyncStream<Event>.Continuation) -> UUID {
        let id = UUID()
        state.withLock { $0.subscribers[id] = (brandID, continuation) }
        return id
    }

    func unsubscribe(_ id: UUID) {
        state.withLock { $0.subscribers.removeValue(forKey: id) }?.continuation.finish()
    }

    private func poll() async throws {
        guard let position = state.withLock({ $0.position }) else {
            // Alerts below the horizon are old; the feeds read everything past it themselves.
            let rows = try await database.query("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", logger: logger).collect()
            let start = try AlertFeedPosition(xactText: try rows[0].decode(String.self), id: 0)
            state.withLock { $0.position = start }
            return
        }
        // Each brand's newest alert past the position, below the horizon (the order feeds read in).
        let rows = try await database.query("""
            SELECT DISTINCT ON (brand_id) brand_id, xact::text, id FROM alerts
            WHERE (xact, id) > (\(position.xactText)::xid8, \(position.id)) AND xact < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY brand_id, xact DESC, id DESC
            """, logger: logger)
        var brands: Set<Int64> = []
        var newest = position
        for try await (brand, xact, id) in rows.decode((Int64, String, Int64).self) {
            brands.insert(brand)
            newest = max(newest, try AlertFeedPosition(xactText: xact, id: id))
        }
        guard !brands.isEmpty else { return }
        state.withLock { state in
            state.position = max(state.position ?? newest, newest)
            for subscriber in state.subscribers.values where brands.contains(subscriber.brandID) {
                subscriber.continuation.yield(.alerts)
            }
        }
    }
}
