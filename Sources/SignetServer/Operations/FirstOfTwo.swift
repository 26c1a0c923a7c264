import Synchronization

/// The first of two answers, without waiting for the other. A task group
/// would wait for every child even after it has its answer, and a query on a
/// connection the server has just closed never returns (postgres-nio 1.33),
/// cancelled or not: the health check must answer anyway. The slower task is
/// cancelled and left to end on its own.
func firstOfTwo<T: Sendable>(
    _ one: @escaping @Sendable () async -> T, _ other: @escaping @Sendable () async -> T
) async -> T {
    let race = FirstAnswer<T>()
    return await withCheckedContinuation { continuation in
        race.start(continuation)
        for body in [one, other] {
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
