/// When a failing webhook endpoint is switched off.
///
/// An endpoint whose every attempt has failed for a day, over at least a full
/// retry schedule's worth of attempts, is most likely gone (a decommissioned
/// receiver, a typo'd URL): it is disabled and the brand's owners are told,
/// instead of queueing deliveries for it forever. One success anywhere in the
/// run clears it. A burst of failures within a day (a receiver's deploy) never
/// disables an endpoint.
public enum WebhookEndpointHealth {
    public static let failingFor: Duration = .seconds(24 * 3600)
    public static let minimumFailures = WebhookRetrySchedule.attempts

    /// - Parameters:
    ///   - consecutiveFailures: failed attempts since the last success, this one included.
    ///   - failingFor: time since the first of them.
    public static func shouldDisable(consecutiveFailures: Int, failingFor elapsed: Duration) -> Bool {
        consecutiveFailures >= minimumFailures && elapsed >= failingFor
    }
}
