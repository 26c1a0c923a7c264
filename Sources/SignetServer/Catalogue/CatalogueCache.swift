import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The catalogue every scan reads from memory, kept current by
/// `CatalogueListener`. Readers take the whole snapshot at once, so one scan
/// never mixes two versions of the catalogue.
final class CatalogueCache: Sendable {
    static let channel = "signet_catalogue"

    private let current = Mutex(CatalogueSnapshot())
    /// Markers this instance sent through the channel and has not seen come back.
    private let awaitedMarkers = Mutex<[String: Bool]>([:])
    /// Nil while the listener hears changes; otherwise since when it has not.
    private let deafSince = Mutex<ContinuousClock.Instant?>(ContinuousClock.now)

    /// After this long without a listener, the catalogue may miss a recall: `/health` says so.
    static let staleAfter = Duration.seconds(5)

    var snapshot: CatalogueSnapshot { current.withLock { $0 } }

    func replaceAll(with fresh: CatalogueSnapshot) {
        current.withLock { snapshot in
            var fresh = fresh
            fresh.version = snapshot.version &+ 1
            snapshot = fresh
        }
    }

    func update(_ change: (inout CatalogueSnapshot) -> Void) {
        current.withLock { snapshot in
            change(&snapshot)
            snapshot.advanceVersion()
        }
    }

    /// The listener is hearing every change (it listens and has loaded everything).
    func listenerConnected() {
        deafSince.withLock { $0 = nil }
    }

    func listenerDisconnected() {
        deafSince.withLock { $0 = $0 ?? .now }
    }

    /// Whether changes may have been missed for longer than `staleAfter`.
    var isStale: Bool {
        deafSince.withLock { since in since.map { ContinuousClock.now - $0 > Self.staleAfter } ?? false }
    }

    /// Called by the listener once every change notified before `marker` is applied.
    func markerApplied(_ marker: String) {
        awaitedMarkers.withLock { markers in
            if markers[marker] != nil { markers[marker] = true }
        }
    }

    /// Waits until this instance's catalogue shows every change committed before
    /// the call, so whoever just saved a product, a lot or a recall sees it on the
    /// next scan this instance serves. Gives up quietly after `timeout`: the
    /// listener then catches up on its own.
    func synchronize(database: PostgresClient, logger: Logger, timeout: Duration = .seconds(2)) async {
        let marker = "sync:" + UUID().uuidString
        awaitedMarkers.withLock { $0[marker] = false }
        defer { _ = awaitedMarkers.withLock { $0.removeValue(forKey: marker) } }
        do {
            // Notifications reach listeners in commit order, so when this one comes
            // back every change committed before it has been applied.
            try await database.query("SELECT pg_notify(\(Self.channel), \(marker))", logger: logger)
        } catch {
            logger.warning("catalogue synchronisation not sent", metadata: ["error": "\(error)"])
            return
        }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if awaitedMarkers.withLock({ $0[marker] == true }) { return }
            try? await Task.sleep(for: .milliseconds(2))
        }
        logger.warning("catalogue did not catch up in time", metadata: ["timeout": "\(timeout)"])
    }
}
