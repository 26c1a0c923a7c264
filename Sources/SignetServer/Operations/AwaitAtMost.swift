import Synchronization

/// `work`'s answer, or `fallback` once `limit` has passed, without waiting
/// for `work` to end. A task group would wait for every child even after it
/// has its answer, and a query on a pooled connection the server has just
/// closed (a restart, a dropped database) never returns in postgres-nio 1.33,
/// cancelled or not: a health check must answer anyway, and a service loop
/// must go on and shut down. `work` is cancelled and left to end on its own.
/// The limit is kept by `DeadlineWatch`, so it may be passed by up to its
/// resolution (50 ms).
func awaitAtMost<T: Sendable>(
    _ limit: Duration, otherwise fallback: T, watch: DeadlineWatch = .shared,
    _ work: @escaping @Sendable () async -> T
) async -> T {
    let race = FirstAnswer<T>(watch: watch)
    return await withCheckedContinuation { continuation in
        race.start(continuation)
        race.watch(watch.register(deadline: .now + limit) { race.answer(fallback) })
        race.run(Task { race.answer(await work()) })
    }
}

/// Resumes the caller with the first answer, then cancels what is left: the
/// work's task or the deadline.
private final class FirstAnswer<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, Never>?
        var task: Task<Void, Never>?
        var deadline: DeadlineWatch.Registration?
    }

    private let watch: DeadlineWatch
    private let state = Mutex(State())

    init(watch: DeadlineWatch) {
        self.watch = watch
    }

    func start(_ continuation: CheckedContinuation<T, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func watch(_ deadline: DeadlineWatch.Registration) {
        let answered = state.withLock { state in
            state.deadline = deadline
            return state.continuation == nil
        }
        if answered { watch.cancel(deadline) }
    }

    func run(_ task: Task<Void, Never>) {
        let answered = state.withLock { state in
            state.task = task
            return state.continuation == nil
        }
        if answered { task.cancel() }
    }

    func answer(_ value: T) {
        let (continuation, task, deadline) = state.withLock { state in
            defer { state.continuation = nil }
            return (state.continuation, state.task, state.deadline)
        }
        guard let continuation else { return }
        task?.cancel()
        deadline.map(watch.cancel)
        continuation.resume(returning: value)
    }
}
