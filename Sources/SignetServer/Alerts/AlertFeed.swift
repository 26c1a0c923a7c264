import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// New alerts for the portal's live feed. One instance reads the alerts table
/// once per poll interval (every brand at once, by id), whatever the number of
/// open feeds, and hands each new alert to the feeds of its brand.
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
        /// The brand has alerts up to this id.
        case alert(Int64)
        case heartbeat
    }

    private struct State {
        var lastID: Int64?
        var subscribers: [UUID: (brandID: Int64, continuation: AsyncStream<Event>.Continuation)] = [:]
    }

    let database: PostgresClient
    let timing: Timing
    let logger: Logger
    private let state = Mutex(State())

    init(database: PostgresClient, timing: Timing, logger: Logger) {
        self.database = database
        self.timing = timing
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
        guard let last = state.withLock({ $0.lastID }) else {
            let top = try await database.query("SELECT coalesce(max(id), 0) FROM alerts", logger: logger).collect()
            let id = try top.first?.decode(Int64.self) ?? 0
            state.withLock { $0.lastID = id }
            return
        }
        let rows = try await database.query("""
            SELECT brand_id, max(id) FROM alerts WHERE id > \(last) GROUP BY brand_id
            """, logger: logger)
        var newest: [Int64: Int64] = [:]
        for try await (brand, id) in rows.decode((Int64, Int64).self) { newest[brand] = id }
        guard let top = newest.values.max() else { return }
        state.withLock { state in
            state.lastID = max(state.lastID ?? 0, top)
            for subscriber in state.subscribers.values {
                if let id = newest[subscriber.brandID] { subscriber.continuation.yield(.alert(id)) }
            }
        }
    }
}
