import Foundation
import SignetCore
import Synchronization

/// Requests per key (a client address, an API key, an account) per window,
/// held across every instance on the database without a database round trip
/// on the request.
///
/// Each request is decided in memory. The instance's own sliding window
/// (`SlidingWindowRateLimiter`) is exact for what reaches this instance. The
/// other instances' share comes from `RateLimitExchange`, which every half
/// second adds this instance's new counts to the shared totals of the current
/// clock-aligned window in PostgreSQL and reads back the sums (and those of
/// keys past half their allowance): a key over the limit across instances is
/// refused here too. A window aligned to the clock never counts more than the
/// sliding window over the same requests, so a single instance decides
/// exactly as before; across instances a client may pass the limit by what it
/// sends during one exchange interval.
final class RateLimit<Key: Hashable & Sendable & CustomStringConvertible>: SharedRateCounts {
    let scope: String
    let limit: Int
    let windowSeconds: Double
    let isEnabled: Bool
    private let local: Mutex<SlidingWindowRateLimiter<Key>>
    private let shared = Mutex(Shared())

    /// Counts of one clock-aligned window, by the key's text.
    private struct Shared {
        var windowEnd: Double = 0
        /// Requests allowed here and not yet added to the shared totals.
        var pending: [String: Int] = [:]
        /// Requests the exchange under way is adding: still counted here until
        /// the totals that include them come back (or the exchange fails).
        var sending: [String: Int] = [:]
        /// Every instance's total for the window, as last read.
        var known: [String: Int] = [:]

        func used(_ key: String) -> Int {
            known[key, default: 0] + sending[key, default: 0] + pending[key, default: 0]
        }

        /// A new window starts with no counts: the old window's last unsent counts are dropped.
        mutating func roll(to windowEnd: Double) {
            guard windowEnd != self.windowEnd else { return }
            self.windowEnd = windowEnd
            pending = [:]
            sending = [:]
            known = [:]
        }
    }

    /// - Parameter limit: 0 turns the limit off.
    /// - Parameter exchange: shares the counts with the other instances (nil: this instance alone).
    init(scope: String, limit: Int, windowSeconds: Double, exchange: RateLimitExchange?) {
        self.scope = scope
        self.limit = max(limit, 1)
        self.windowSeconds = windowSeconds
        isEnabled = limit > 0
        local = Mutex(SlidingWindowRateLimiter(limit: max(limit, 1), windowSeconds: windowSeconds))
        if isEnabled { exchange?.register(self) }
    }

    convenience init(scope: String, perMinute: Int, exchange: RateLimitExchange?) {
        self.init(scope: scope, limit: perMinute, windowSeconds: 60, exchange: exchange)
    }

    /// Throws `RateLimited` when the key is over its share. Requests without a
    /// key (an unknown client address) are not limited: they share no key at all.
    func check(_ key: Key?) throws(RateLimited) {
        guard isEnabled, let key else { return }
        let now = Date().timeIntervalSince1970
        let windowEnd = ((now / windowSeconds).rounded(.down) + 1) * windowSeconds
        let text = key.description
        let sharedUsed = shared.withLock { shared in
            shared.roll(to: windowEnd)
            return shared.used(text)
        }
        if sharedUsed >= limit { throw RateLimited(retryAfterSeconds: max(1, Int((windowEnd - now).rounded(.up)))) }
        if case .limited(let seconds) = local.withLock({ $0.decide(key, now: now) }) {
            throw RateLimited(retryAfterSeconds: seconds)
        }
        shared.withLock { shared in
            shared.roll(to: windowEnd)
            shared.pending[text, default: 0] += 1
        }
    }

    func takePending() -> PendingRateCounts {
        shared.withLock { shared in
            defer {
                shared.sending.merge(shared.pending, uniquingKeysWith: +)
                shared.pending = [:]
            }
            // Keys past half their allowance are read back even without new
            // counts here, so the others' requests reach this instance's decisions.
            let watched = shared.known.filter { $0.value * 2 >= limit && shared.pending[$0.key] == nil }.map(\.key)
            return PendingRateCounts(windowEnd: shared.windowEnd, counts: shared.pending, watched: watched)
        }
    }

    func learn(_ totals: [String: Int], windowEnd: Double) {
        shared.withLock { shared in
            guard shared.windowEnd == windowEnd else { return }
            shared.known.merge(totals) { _, new in new }
            shared.sending = [:]
        }
    }

    func giveBack(_ pending: PendingRateCounts) {
        shared.withLock { shared in
            guard shared.windowEnd == pending.windowEnd else { return }
            shared.pending.merge(pending.counts, uniquingKeysWith: +)
            shared.sending = [:]
        }
    }
}

struct RateLimited: Error {
    let retryAfterSeconds: Int
}
