import Synchronization

/// Calls each registered `expire` once its deadline has passed, from one task
/// that wakes every `resolution` while anything is registered and ends when
/// nothing is. `awaitAtMost` registers here rather than start a sleeping task
/// per call: a cancelled `Task.sleep` leaves its timer queued until the time
/// it was due, so at scan rates thousands of dead timers would sit in the
/// dispatch timer heap, and every call would start and schedule a second task.
final class DeadlineWatch: Sendable {
    static let shared = DeadlineWatch(resolution: .milliseconds(50))

    struct Registration: Sendable, Hashable {
        fileprivate let id: UInt64
    }

    private struct Waiting {
        let deadline: ContinuousClock.Instant
        let expire: @Sendable () -> Void
    }

    private struct State {
        var waiting: [UInt64: Waiting] = [:]
        var lastID: UInt64 = 0
        var watching = false
    }

    let resolution: Duration
    private let state = Mutex(State())

    init(resolution: Duration) {
        self.resolution = resolution
    }

    /// Registers `expire` to be called once `deadline` has passed (up to one
    /// `resolution` late), unless `cancel` comes first.
    func register(deadline: ContinuousClock.Instant, expire: @escaping @Sendable () -> Void) -> Registration {
        let (id, startWatching) = state.withLock { state in
            state.lastID += 1
            state.waiting[state.lastID] = Waiting(deadline: deadline, expire: expire)
            defer { state.watching = true }
            return (state.lastID, !state.watching)
        }
        if startWatching {
            Task.detached { await self.watch() }
        }
        return Registration(id: id)
    }

    /// `expire` will not be called (unless it already was).
    func cancel(_ registration: Registration) {
        _ = state.withLock { $0.waiting.removeValue(forKey: registration.id) }
    }

    /// How many registrations are waiting: for tests.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    private func watch() async {
        while true {
            try? await Task.sleep(for: resolution)
            let now = ContinuousClock.now
            let (due, goOn) = state.withLock { state -> ([@Sendable () -> Void], Bool) in
                let ids = state.waiting.compactMap { id, waiting in waiting.deadline <= now ? id : nil }
                let due = ids.compactMap { state.waiting.removeValue(forKey: $0)?.expire }
                if state.waiting.isEmpty { state.watching = false }
                return (due, state.watching)
            }
            for expire in due { expire() }
            if !goOn { return }
        }
    }
}
