/// Counts requests per key in fixed windows (e.g. scans per client address per
/// minute). Pure and clock-free: the caller passes the time, so tests decide it.
public struct FixedWindowRateLimiter<Key: Hashable>: Sendable where Key: Sendable {
    public enum Decision: Equatable, Sendable {
        case allowed
        /// Refused; the window ends in this many whole seconds (at least 1).
        case limited(retryAfterSeconds: Int)
    }

    public let limit: Int
    public let windowSeconds: Double
    private var windowStart: Double = 0
    private var counts: [Key: Int] = [:]

    /// - Parameter limit: requests allowed per key and window.
    public init(limit: Int, windowSeconds: Double) {
        self.limit = limit
        self.windowSeconds = windowSeconds
    }

    public mutating func decide(_ key: Key, now: Double) -> Decision {
        if now - windowStart >= windowSeconds || now < windowStart {
            // A new window forgets every key at once, so memory stays bounded by
            // the number of clients seen in one window.
            windowStart = now - (now.truncatingRemainder(dividingBy: windowSeconds))
            counts.removeAll(keepingCapacity: true)
        }
        let count = counts[key, default: 0] + 1
        counts[key] = count
        guard count > limit else { return .allowed }
        let remaining = windowStart + windowSeconds - now
        return .limited(retryAfterSeconds: max(1, Int(remaining.rounded(.up))))
    }
}
