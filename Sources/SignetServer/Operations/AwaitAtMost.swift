import Synchronization

/// `work`'s answer, or `fallback` once `limit` has passed, without waiting
/// for `work` to end. A task group would wait for every child even after it
/// has its answer, and a query on a pooled connection the server has just
/// closed (a restart, a dropped database) never returns in postgres-nio 1.33,
/// cancelled or not: a health check must answer anyway, and a service loop
/// must go on and shut down. `work` is cancelled and left to end on its own.
func awaitAtMost<T: Sendable>(
    _ limit: Duration, otherwise fallback: T, _ work: @escaping @Sendable () async -> T
) async -> T {
    let race = FirstAnswer<T>()
    let bodies: [@Sendable () async -> T] = [work, {
        try? await Task.sleep(for: limit)
        return fallback
    }]
    return await withCheckedContinuation { continuation in
        race.start(continuation)
        for body in bodies {
            race.add(Task { race.answer(await body()) })
        }
    }
}

private final class FirstAnswer<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, Never>?
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func add(_ task: Task<Void, Never>) {
        let answered = state.withLock { state in
            state.tasks.append(task)
            return state.continuation == nil
        }
        if answered { task.cancel() }
    }

    func answer(_ value: T) {
        let (continuation, tasks) = state.withLock { state in
            defer { state.continuation = nil }
            return (state.continuation, state.tasks)
        }
        guard let continuation else { return }
        for task in tasks { task.cancel() }
        continuation.resume(returning: value)
    }
}
