import SignetCore
import Testing

@Suite("Webhook retry schedule")
struct WebhookRetryScheduleTests {
    @Test("the first retry comes within 30 s and the last attempt more than 24 h after the first")
    func reachesADay() {
        let slowest = (1..<WebhookRetrySchedule.attempts).map { WebhookRetrySchedule.wait(afterFailedAttempts: $0, random: 0)! }
        #expect(WebhookRetrySchedule.wait(afterFailedAttempts: 1, random: 1)! <= .seconds(30))
        let shortestTotal = slowest.reduce(Duration.zero, +)
        #expect(shortestTotal > .seconds(24 * 3600), "even with every wait shrunk, the schedule spans a day")
        #expect(WebhookRetrySchedule.attempts == 8)
    }

    @Test("after the last attempt the delivery is given up, and nothing is scheduled before the first")
    func givesUp() {
        #expect(WebhookRetrySchedule.wait(afterFailedAttempts: WebhookRetrySchedule.attempts, random: 0.5) == nil)
        #expect(WebhookRetrySchedule.wait(afterFailedAttempts: 0, random: 0.5) == nil)
    }

    @Test("jitter moves a wait by at most a tenth either way, and is centred on the schedule")
    func jitterBounds() {
        for attempt in 1..<WebhookRetrySchedule.attempts {
            let base = WebhookRetrySchedule.waits[attempt - 1]
            #expect(WebhookRetrySchedule.wait(afterFailedAttempts: attempt, random: 0.5) == base)
            #expect(WebhookRetrySchedule.wait(afterFailedAttempts: attempt, random: 0)! == base * 0.9)
            #expect(WebhookRetrySchedule.wait(afterFailedAttempts: attempt, random: 1)! == base * 1.1)
            // Out-of-range randomness is clamped, not extrapolated.
            #expect(WebhookRetrySchedule.wait(afterFailedAttempts: attempt, random: 7)! == base * 1.1)
        }
    }
}
