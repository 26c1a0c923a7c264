/// When a failed webhook delivery is tried again.
///
/// The schedule of the Standard Webhooks reference implementation: 5 s, 5 min,
/// 30 min, 2 h, 5 h, 10 h, 10 h after each failure (eight attempts over about
/// 27.6 hours), so a receiver that is down for a day still gets the delivery.
/// Each wait is stretched or shrunk by up to a tenth at random, so deliveries
/// that failed together (a receiver's outage) do not all come back at the
/// same second, while even the shortest draw keeps trying for over 24 hours.
public enum WebhookRetrySchedule {
    public static let waits: [Duration] = [
        .seconds(5), .seconds(5 * 60), .seconds(30 * 60), .seconds(2 * 3600),
        .seconds(5 * 3600), .seconds(10 * 3600), .seconds(10 * 3600),
    ]
    /// Attempts in all, the first included.
    public static var attempts: Int { waits.count + 1 }
    public static let jitter = 0.1

    /// The wait before the next attempt, after `failedAttempts` attempts that all
    /// failed; nil when the delivery is given up.
    /// - Parameter random: a number in 0...1 (0.5 gives the wait without jitter).
    public static func wait(afterFailedAttempts failedAttempts: Int, random: Double) -> Duration? {
        guard failedAttempts >= 1, failedAttempts <= waits.count else { return nil }
        let base = waits[failedAttempts - 1]
        let factor = 1 + jitter * (2 * min(max(random, 0), 1) - 1)
        return base * factor
    }
}
