import SignetCore
import Testing

@Suite("Disabling failing webhook endpoints")
struct WebhookEndpointHealthTests {
    @Test("an endpoint is disabled only after a day of failures and a full schedule's worth of attempts", arguments: [
        (8, 24 * 3600, true),
        (50, 30 * 3600, true),
        (7, 48 * 3600, false),
        (500, 23 * 3600, false),
        (0, 0, false),
    ])
    func disables(failures: Int, seconds: Int, expected: Bool) {
        #expect(WebhookEndpointHealth.shouldDisable(consecutiveFailures: failures, failingFor: .seconds(seconds)) == expected)
    }
}
