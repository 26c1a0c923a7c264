import Crypto
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// New counts of one limit for its current window, by the key's text.
struct PendingRateCounts: Sendable {
    var windowEnd: Double
    var counts: [String: Int]
    /// Keys with no new counts whose totals are still wanted.
    var watched: [String] = []
}

/// A limit whose counts are shared with the other instances.
protocol SharedRateCounts: AnyObject, Sendable {
    var scope: String { get }
    var windowSeconds: Double { get }
    /// The counts allowed since the last exchange, taken out.
    func takePending() -> PendingRateCounts
    /// Every instance's totals for the window.
    func learn(_ totals: [String: Int], windowEnd: Double)
    /// Counts that could not be sent, to be sent with the next exchange.
    func giveBack(_ pending: PendingRateCounts)
}

/// Every half second, adds each limit's new counts to the shared totals in
/// `rate_limit_hits` (one statement for every limit) and hands the sums back,
/// so each instance refuses a key the others have already let through.
/// Keys are stored as keyed hashes (under the visitor key every instance reads
/// from `signet_secrets`), never as client addresses. The table is unlogged: the counts of the current minute
/// are not worth a WAL write each, and a crash forgets them.
/// While the database cannot be reached each instance goes on alone.
final class RateLimitExchange: Service, Sendable {
    let database: PostgresClient
    let interval: Duration
    let logger: Logger
    private let visitorKey: VisitorKey
    private let limits = Mutex<[any SharedRateCounts]>([])

    init(database: PostgresClient, visitorKey: VisitorKey, interval: Duration = .milliseconds(500), logger: Logger) {
        self.database = database
        self.visitorKey = visitorKey
        self.interval = interval
        self.logger = logger
    }

    func register(_ limit: any SharedRateCounts) {
        limits.withLock { $0.append(limit) }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var exchanges = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: self.interval)
                await self.exchange()
                exchanges += 1
                if exchanges % 120 == 0 {
                    _ = try? await self.database.query("DELETE FROM rate_limit_hits WHERE window_end < now()", logger: self.logger)
                }
            }
        }
    }

    /// One exchange of every limit's counts.
    func exchange() async {
        let limits = limits.withLock { $0 }
        let taken = limits.map { ($0, $0.takePending()) }.filter { !$0.1.counts.isEmpty || !$0.1.watched.isEmpty }
        guard !taken.isEmpty else { return }
        let key = SymmetricKey(data: Array("signet rate limits".utf8) + visitorKey.secret)
        var scopes: [String] = [], hashes: [String] = [], ends: [Date] = [], counts: [Int64] = []
        var watchedScopes: [String] = [], watchedHashes: [String] = [], watchedEnds: [Date] = []
        var byHash: [String: (limit: Int, key: String)] = [:]
        for (index, (limit, pending)) in taken.enumerated() {
            func hash(_ text: String) -> String {
                let hash = Data(HMAC<SHA256>.authenticationCode(for: Array("\(limit.scope)\u{0}\(text)".utf8), using: key).prefix(16))
                    .base64EncodedString()
                byHash[limit.scope + hash] = (index, text)
                return hash
            }
            for (text, count) in pending.counts {
                scopes.append(limit.scope)
                hashes.append(hash(text))
                ends.append(Date(timeIntervalSince1970: pending.windowEnd))
                counts.append(Int64(count))
            }
            for text in pending.watched {
                watchedScopes.append(limit.scope)
                watchedHashes.append(hash(text))
                watchedEnds.append(Date(timeIntervalSince1970: pending.windowEnd))
            }
        }
        do {
            let rows = try await database.query("""
                WITH added AS (
                    INSERT INTO rate_limit_hits AS h (scope, key_hash, window_end, hits)
                    SELECT * FROM unnest(\(scopes)::text[], \(hashes)::text[], \(ends)::timestamptz[], \(counts)::bigint[])
                    ON CONFLICT (scope, key_hash, window_end) DO UPDATE SET hits = h.hits + excluded.hits
                    RETURNING scope, key_hash, hits
                )
                SELECT scope, key_hash, hits FROM added
                UNION ALL
                SELECT h.scope, h.key_hash, h.hits
                FROM unnest(\(watchedScopes)::text[], \(watchedHashes)::text[], \(watchedEnds)::timestamptz[]) AS w (scope, key_hash, window_end)
                JOIN rate_limit_hits h USING (scope, key_hash, window_end)
                """, logger: logger)
            var totals = Array(repeating: [String: Int](), count: taken.count)
            for try await (scope, hash, hits) in rows.decode((String, String, Int64).self) {
                guard let owner = byHash[scope + hash] else { continue }
                totals[owner.limit][owner.key] = Int(hits)
            }
            for (index, (limit, pending)) in taken.enumerated() {
                limit.learn(totals[index], windowEnd: pending.windowEnd)
            }
        } catch {
            logger.debug("rate limit counts not shared this time", metadata: ["error": "\(String(reflecting: error))"])
            for (limit, pending) in taken { limit.giveBack(pending) }
        }
    }
}
