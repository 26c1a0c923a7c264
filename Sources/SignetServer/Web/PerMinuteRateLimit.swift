import Foundation
import SignetCore
import Synchronization

/// Requests per key (a client address, an API key) per minute, shared by
/// every request of this instance. Several instances each count their own share.
final class PerMinuteRateLimit<Key: Hashable & Sendable>: Sendable {
    private let limiter: Mutex<SlidingWindowRateLimiter<Key>>
    let isEnabled: Bool

    /// - Parameter perMinute: 0 turns the limit off.
    init(perMinute: Int) {
        isEnabled = perMinute > 0
        limiter = Mutex(SlidingWindowRateLimiter(limit: max(perMinute, 1), windowSeconds: 60))
    }

    /// Throws `RateLimited` when the key is over its share. Requests without a
    /// key (an unknown client address) are not limited: they share no key at all.
    func check(_ key: Key?) throws(RateLimited) {
        guard isEnabled, let key else { return }
        let now = Date().timeIntervalSince1970
        let decision = limiter.withLock { $0.decide(key, now: now) }
        if case .limited(let seconds) = decision { throw RateLimited(retryAfterSeconds: seconds) }
    }
}

struct RateLimited: Error {
    let retryAfterSeconds: Int
}
