import Foundation
import SignetCore
import Synchronization

/// Scans per client address per minute, shared by every request of this
/// instance. Several instances each count their own share.
final class ScanRateLimit: Sendable {
    private let limiter: Mutex<FixedWindowRateLimiter<IPAddress>>
    let isEnabled: Bool

    /// - Parameter perMinute: 0 turns the limit off.
    init(perMinute: Int) {
        isEnabled = perMinute > 0
        limiter = Mutex(FixedWindowRateLimiter(limit: max(perMinute, 1), windowSeconds: 60))
    }

    /// Throws `rateLimited` when the address is over its share. Requests whose
    /// address is unknown are not limited: they all share no address at all.
    func check(_ address: IPAddress?) throws(RateLimited) {
        guard isEnabled, let address else { return }
        let now = Date().timeIntervalSince1970
        let decision = limiter.withLock { $0.decide(address.unmappingIPv4, now: now) }
        if case .limited(let seconds) = decision { throw RateLimited(retryAfterSeconds: seconds) }
    }
}

struct RateLimited: Error {
    let retryAfterSeconds: Int
}
