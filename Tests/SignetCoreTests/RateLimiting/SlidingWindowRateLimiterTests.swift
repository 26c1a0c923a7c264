import SignetCore
import Testing

@Suite("Sliding-window rate limiter")
struct SlidingWindowRateLimiterTests {
    @Test("a key's window starts with its first request: the limit passes, the next within the minute is refused")
    func limitFromFirstRequest() {
        var limiter = SlidingWindowRateLimiter<String>(limit: 3, windowSeconds: 60)
        let start = 6_059.5  // half a second before a clock-aligned minute ends: irrelevant here
        #expect(limiter.decide("a", now: start) == .allowed)
        #expect(limiter.decide("a", now: start + 1) == .allowed)
        #expect(limiter.decide("a", now: start + 2) == .allowed)
        #expect(limiter.decide("a", now: start + 10) == .limited(retryAfterSeconds: 70))
        #expect(limiter.decide("a", now: start + 59.5) == .limited(retryAfterSeconds: 21))
    }

    @Test("the allowance comes back gradually: no second burst right after a window ends")
    func noBurstAtTheBoundary() {
        var limiter = SlidingWindowRateLimiter<String>(limit: 10, windowSeconds: 60)
        for second in 0..<10 { #expect(limiter.decide("a", now: 50 + Double(second)) == .allowed) }
        // 30 s into the next window half of the previous ten still count.
        var allowed = 0
        for _ in 0..<10 where limiter.decide("a", now: 140) == .allowed { allowed += 1 }
        #expect(allowed == 5)
        #expect(limiter.decide("a", now: 140) == .limited(retryAfterSeconds: 6))
        #expect(limiter.decide("a", now: 146) == .allowed)
    }

    @Test("refused requests are not counted, and two idle windows forget the key")
    func refusalsAndForgetting() {
        var limiter = SlidingWindowRateLimiter<String>(limit: 2, windowSeconds: 60)
        #expect(limiter.decide("a", now: 0) == .allowed)
        #expect(limiter.decide("a", now: 1) == .allowed)
        for second in 2..<60 { #expect(limiter.decide("a", now: Double(second)) != .allowed) }
        #expect(limiter.decide("a", now: 95) == .allowed)  // 35 s into the next window 25/60 of the previous two still count: 0.83 + 1 ≤ 2
        #expect(limiter.decide("b", now: 300) == .allowed)
        #expect(limiter.trackedKeys == 1)
        #expect(limiter.decide("a", now: 300) == .allowed)
        #expect(limiter.decide("a", now: 300) == .allowed)
    }

    @Test("each key has its own share")
    func keysAreIndependent() {
        var limiter = SlidingWindowRateLimiter<String>(limit: 1, windowSeconds: 60)
        #expect(limiter.decide("a", now: 1) == .allowed)
        #expect(limiter.decide("b", now: 1) == .allowed)
        #expect(limiter.decide("a", now: 2) != .allowed)
        #expect(limiter.decide("b", now: 2) != .allowed)
    }

    @Test("a clock that goes back starts a new window instead of refusing for ever")
    func clockGoesBack() {
        var limiter = SlidingWindowRateLimiter<String>(limit: 1, windowSeconds: 60)
        #expect(limiter.decide("a", now: 1_000) == .allowed)
        #expect(limiter.decide("a", now: 1_001) != .allowed)
        #expect(limiter.decide("a", now: 500) == .allowed)
    }
}
