@testable import SignetServer
import Testing

/// How one instance counts a key while it shares its counts with the others.
@Suite("Rate limit counts on their way to the other instances")
struct RateLimitSharingTests {
    @Test("requests whose counts an exchange is sending still count until the totals come back, or go back when it fails")
    func countsBeingSent() throws {
        let limit = RateLimit<String>(scope: "test", limit: 10, windowSeconds: 86_400, exchange: nil)
        try limit.check("client")
        let first = limit.takePending()
        #expect(first.counts == ["client": 1])
        // Another instance let six through: the shared total comes back as seven.
        limit.learn(["client": 7], windowEnd: first.windowEnd)
        for _ in 0..<3 { try limit.check("client") }
        #expect(throws: RateLimited.self) { try limit.check("client") }

        // The three are on their way: still counted while the exchange waits for its answer.
        let sending = limit.takePending()
        #expect(sending.counts == ["client": 3])
        #expect(throws: RateLimited.self) { try limit.check("client") }
        limit.learn(["client": 10], windowEnd: sending.windowEnd)
        #expect(throws: RateLimited.self) { try limit.check("client") }

        // An exchange that fails gives its counts back, to be sent again: counted once.
        let other = RateLimit<String>(scope: "test", limit: 11, windowSeconds: 86_400, exchange: nil)
        try other.check("client")
        other.learn(["client": 9], windowEnd: other.takePending().windowEnd)
        try other.check("client")
        other.giveBack(other.takePending())
        try other.check("client")
        #expect(throws: RateLimited.self) { try other.check("client") }
        #expect(other.takePending().counts == ["client": 2])
    }
}
