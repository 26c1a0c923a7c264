import ServiceLifecycle

/// The loop of a background service whose rounds must not be cut off by a
/// graceful shutdown (SIGTERM): a webhook attempt cut off mid-request is
/// recorded as failed and sent again later, so the receiver sees it twice;
/// a stream batch cut off is rolled back and handled again by someone else.
///
/// The loop asks `goesOn` before each round and waits between rounds with
/// `pause`, which ends as soon as shutdown begins; the round under way
/// finishes. A round still running `grace` after shutdown began (a database
/// that stopped answering) is cancelled, so the process exits in a bounded
/// time. Services whose work is one transaction that a restart simply
/// repeats (jobs, clean-ups) keep `cancelWhenGracefulShutdown`.
enum GracefulWork {
    static func run(grace: Duration, _ loop: @escaping @Sendable () async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask(operation: loop)
            group.addTask {
                // Returns when shutdown begins; throws (ending the grace at once) when the service is cancelled.
                do { try await gracefulShutdown() } catch { return }
                try? await Task.sleep(for: grace)
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// False once shutdown has begun (or the task is cancelled): start no new round.
    static var goesOn: Bool { !Task.isShuttingDownGracefully && !Task.isCancelled }

    /// Sleeps `duration`, or less when shutdown begins meanwhile.
    static func pause(_ duration: Duration) async {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }
}
