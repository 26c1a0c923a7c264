/// Counts requests per key (a client address, an account) over a sliding
/// window: the requests of the key's current window plus its previous
/// window's, weighted by how much of that window still overlaps the last
/// `windowSeconds`. Unlike windows aligned to the clock, a client cannot spend
/// its allowance at the end of one window and again at the start of the next,
/// and its first window starts with its first request, so "N per minute"
/// holds for any N + 1 requests within a minute of each other.
///
/// Memory is two counters per key seen in the last two windows. Pure and
/// clock-free: the caller passes the time, so tests decide it.
public struct SlidingWindowRateLimiter<Key: Hashable & Sendable>: Sendable {
    public enum Decision: Equatable, Sendable {
        case allowed
        /// Refused (and not counted); one more request would be allowed in
        /// this many whole seconds (at least 1).
        case limited(retryAfterSeconds: Int)
    }

    private struct Window: Sendable {
        var start: Double
        var current: Int
        var previous: Int
    }

    public let limit: Int
    public let windowSeconds: Double
    private var windows: [Key: Window] = [:]
    private var lastSweep: Double = 0

    /// - Parameter limit: requests allowed per key and window (at least 1).
    public init(limit: Int, windowSeconds: Double) {
        self.limit = max(limit, 1)
        self.windowSeconds = windowSeconds
    }

    /// Keys with counts still in force; old ones are dropped once per window.
    public var trackedKeys: Int { windows.count }

    public mutating func decide(_ key: Key, now: Double) -> Decision {
        sweep(now: now)
        var window = advanced(windows[key], to: now)
        let elapsed = (now - window.start) / windowSeconds
        let used = Double(window.previous) * (1 - elapsed) + Double(window.current)
        guard used + 1 <= Double(limit) else {
            return .limited(retryAfterSeconds: retryAfter(window, now: now))
        }
        window.current += 1
        windows[key] = window
        return .allowed
    }

    /// The key's window as it stands at `now`: rolled forward once the current
    /// window has ended, forgotten after two, restarted if the clock went back.
    private func advanced(_ window: Window?, to now: Double) -> Window {
        guard let window, now >= window.start, now - window.start < 2 * windowSeconds else {
            return Window(start: now, current: 0, previous: 0)
        }
        guard now - window.start >= windowSeconds else { return window }
        return Window(start: window.start + windowSeconds, current: 0, previous: window.current)
    }

    /// Seconds until `previous × (1 − elapsed) + current + 1 ≤ limit`, rolling
    /// into the next window when the current one alone is already full.
    private func retryAfter(_ window: Window, now: Double) -> Int {
        var start = window.start
        var previous = Double(window.previous)
        var current = Double(window.current)
        if current + 1 > Double(limit) {
            start += windowSeconds
            previous = current
            current = 0
        }
        let room = Double(limit) - 1 - current
        let elapsedNeeded = previous > 0 ? max(0, 1 - room / previous) : 0
        let seconds = start + elapsedNeeded * windowSeconds - now
        return max(1, Int(seconds.rounded(.up)))
    }

    private mutating func sweep(now: Double) {
        guard now - lastSweep >= windowSeconds || now < lastSweep else { return }
        lastSweep = now
        windows = windows.filter { _, window in
            now >= window.start && now - window.start < 2 * windowSeconds
        }
    }
}
