import Foundation
import SignetCore
import Synchronization

/// Sign-in attempts per account and per client address in a sliding 15-minute window,
/// so a password cannot be guessed quickly from one address or against one
/// account from many. Each instance keeps its own counts.
final class SignInThrottle: Sendable {
    private let perAccount: Mutex<SlidingWindowRateLimiter<String>>
    private let perAddress: Mutex<SlidingWindowRateLimiter<IPAddress>>

    init(perAccount: Int = 10, perAddress: Int = 50, windowSeconds: Double = 900) {
        self.perAccount = Mutex(SlidingWindowRateLimiter(limit: perAccount, windowSeconds: windowSeconds))
        self.perAddress = Mutex(SlidingWindowRateLimiter(limit: perAddress, windowSeconds: windowSeconds))
    }

    /// Counts an attempt; throws `RateLimited` when either budget is spent.
    func attempt(email: String, address: IPAddress?) throws(RateLimited) {
        let now = Date().timeIntervalSince1970
        if let address, case .limited(let seconds) = perAddress.withLock({ $0.decide(address.unmappingIPv4, now: now) }) {
            throw RateLimited(retryAfterSeconds: seconds)
        }
        if case .limited(let seconds) = perAccount.withLock({ $0.decide(email, now: now) }) {
            throw RateLimited(retryAfterSeconds: seconds)
        }
    }
}
