import SignetCore
import Testing

@Suite("Fixed-window rate limiter")
struct FixedWindowRateLimiterTests {
    @Test("allows the limit, then refuses until the window ends")
    func limitThenWait() {
        var limiter = FixedWindowRateLimiter<String>(limit: 3, windowSeconds: 60)
        let start = 6_000.0  // a window boundary
        #expect(limiter.decide("a", now: start) == .allowed)
        #expect(limiter.decide("a", now: start + 1) == .allowed)
        #expect(limiter.decide("a", now: start + 2) == .allowed)
        #expect(limiter.decide("a", now: start + 10) == .limited(retryAfterSeconds: 50))
        #expect(limiter.decide("a", now: start + 59.5) == .limited(retryAfterSeconds: 1))
        #expect(limiter.decide("a", now: start + 60) == .allowed)
    }

    @Test("each key has its own share")
    func keysAreIndependent() {
        var limiter = FixedWindowRateLimiter<String>(limit: 1, windowSeconds: 60)
        #expect(limiter.decide("a", now: 1) == .allowed)
        #expect(limiter.decide("b", now: 1) == .allowed)
        #expect(limiter.decide("a", now: 2) != .allowed)
        #expect(limiter.decide("b", now: 2) != .allowed)
    }

    @Test("a clock that goes back starts a new window instead of refusing for ever")
    func clockGoesBack() {
        var limiter = FixedWindowRateLimiter<String>(limit: 1, windowSeconds: 60)
        #expect(limiter.decide("a", now: 1_000) == .allowed)
        #expect(limiter.decide("a", now: 1_001) != .allowed)
        #expect(limiter.decide("a", now: 500) == .allowed)
    }
}
