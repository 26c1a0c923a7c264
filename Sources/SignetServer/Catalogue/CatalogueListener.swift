import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Keeps `CatalogueCache` current. On its own connection (outside the pool,
/// so scans never wait behind it and a long first load meets no statement
/// timeout) it LISTENs on `signet_catalogue`, where triggers name every brand,
/// product type, product, translation and lot that changes, whoever changed
/// it; then it reloads what was named. Notifications that arrive together are
/// applied together. A full reload runs after every (re)connection, since
/// nothing is heard while disconnected, and every `refreshInterval` as a
/// safety net.
struct CatalogueListener: Service {
    let cache: CatalogueCache
    let connection: PostgresConnection.Configuration
    let refreshInterval: Duration
    let logger: Logger

    /// More rows named at once than this, and one full reload is cheaper.
    static let fullReloadThreshold = 2_000

    /// The first load, before the server answers anything.
    func loadAll() async throws {
        let connection = try await PostgresConnection.connect(configuration: connection, id: 0, logger: logger)
        defer { Task { try? await connection.close() } }
        let snapshot = try await CatalogueLoader(connection: connection, logger: logger).everything()
        cache.replaceAll(with: snapshot)
        logger.info("catalogue loaded", metadata: ["products": "\(snapshot.productCount)", "lots": "\(snapshot.lotCount)"])
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var delay = Duration.milliseconds(250)
            while !Task.isCancelled {
                let connected = ContinuousClock.now
                do {
                    try await listen()
                } catch where !Task.isCancelled {
                    cache.listenerDisconnected()
                    logger.warning("catalogue listener lost its connection; reconnecting", metadata: [
                        "error": "\(String(reflecting: error))", "retryIn": "\(delay)",
                    ])
                } catch {}
                if ContinuousClock.now - connected > .seconds(60) { delay = .milliseconds(250) }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(10))
            }
        }
    }

    private func listen() async throws {
        let connection = try await PostgresConnection.connect(configuration: connection, id: 1, logger: logger)
        defer { Task { try? await connection.close() } }
        let loader = CatalogueLoader(connection: connection, logger: logger)
        let pending = PendingChanges()
        let (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

        try await connection.listen(on: CatalogueCache.channel) { notifications in
            // Listening first, then loading: a change committed in between is both
            // in the load and notified, never in neither.
            cache.replaceAll(with: try await loader.everything())
            cache.listenerConnected()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await notification in notifications {
                        pending.insert(notification.payload)
                        wakeUp.yield()
                    }
                    throw CatalogueListenerError.notificationsEnded
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: refreshInterval)
                        pending.insert("all")
                        wakeUp.yield()
                    }
                }
                group.addTask {
                    for await _ in wakeUps {
                        try await apply(pending.takeAll(), loader: loader)
                    }
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        }
    }

    /// Reloads what `payloads` name (`brand:ID`, `type:ID`, `product:ID`,
    /// `lot:ID`, `recall:ID`, `all`), then acknowledges the `sync:` markers among them.
    private func apply(_ payloads: Set<String>, loader: CatalogueLoader) async throws {
        var named: [String: [Int64]] = [:]
        var markers: [String] = []
        var everything = payloads.contains("all") || payloads.count > Self.fullReloadThreshold
        for payload in payloads where !everything {
            if payload.hasPrefix("sync:") { markers.append(payload); continue }
            let parts = payload.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let id = Int64(parts[1]) else {
                everything = true
                continue
            }
            named[String(parts[0]), default: []].append(id)
        }
        if everything {
            cache.replaceAll(with: try await loader.everything())
            markers = payloads.filter { $0.hasPrefix("sync:") }
        } else if !named.isEmpty {
            let brands = try await named["brand"] == nil ? [] : loader.brands(ids: named["brand"])
            let types = try await named["type"] == nil ? [] : loader.productTypes(ids: named["type"])
            let products = try await named["product"] == nil ? [] : loader.products(ids: named["product"])
            let lots = try await named["lot"] == nil ? [] : loader.lots(ids: named["lot"])
            let recalls = try await named["recall"] == nil ? [] : loader.recalls(ids: named["recall"])
            cache.update { snapshot in
                // A named row that was not found was deleted.
                let brandsByID = Dictionary(brands.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
                for id in named["brand"] ?? [] { snapshot.replace(brand: id, with: brandsByID[id]) }
                let typesByID = Dictionary(types.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
                for id in named["type"] ?? [] { snapshot.replace(productType: id, with: typesByID[id]) }
                let productsByID = Dictionary(products.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
                for id in named["product"] ?? [] { snapshot.replace(product: id, with: productsByID[id]) }
                let lotsByID = Dictionary(lots.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
                for id in named["lot"] ?? [] { snapshot.replace(lot: id, with: lotsByID[id]) }
                let recallsByID = Dictionary(recalls.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
                for id in named["recall"] ?? [] { snapshot.replace(recall: id, with: recallsByID[id]) }
            }
            logger.debug("catalogue changes applied", metadata: ["rows": "\(payloads.count - markers.count)"])
        }
        for marker in markers { cache.markerApplied(marker) }
    }
}

/// Payloads heard and not yet applied; the same row named twice is reloaded once.
private final class PendingChanges: Sendable {
    private let payloads = Mutex<Set<String>>([])

    func insert(_ payload: String) {
        _ = payloads.withLock { $0.insert(payload) }
    }

    func takeAll() -> Set<String> {
        payloads.withLock { payloads in
            defer { payloads.removeAll() }
            return payloads
        }
    }
}

enum CatalogueListenerError: Error {
    case notificationsEnded
}
