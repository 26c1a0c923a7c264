@testable import SignetServer
import Synchronization
import Testing

@Suite("Waiting at most a limit")
struct AwaitAtMostTests {
    @Test("work that answers in time gives its answer and leaves no deadline behind")
    func answersInTime() async {
        let watch = DeadlineWatch(resolution: .milliseconds(10))
        let answers = await withTaskGroup(of: Int.self) { group in
            for value in 0..<500 {
                group.addTask { await awaitAtMost(.seconds(5), otherwise: -1, watch: watch) { value } }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(answers.sorted() == Array(0..<500))
        #expect(watch.waitingCount == 0)
    }

    @Test("work that hangs gives the fallback once the limit has passed, and is cancelled")
    func hangingWork() async {
        let watch = DeadlineWatch(resolution: .milliseconds(10))
        let cancelled = Atomic<Bool>(false)
        let clock = ContinuousClock()
        let started = clock.now
        let answer = await awaitAtMost(.milliseconds(200), otherwise: "fallback", watch: watch) {
            await withTaskCancellationHandler {
                // Sleeps past the limit even once cancelled, like a statement on a dead connection.
                try? await Task.sleep(for: .seconds(60))
                return "work"
            } onCancel: {
                cancelled.store(true, ordering: .relaxed)
            }
        }
        let waited = clock.now - started
        #expect(answer == "fallback")
        #expect(waited >= .milliseconds(200))
        #expect(waited < .seconds(5))
        let workCancelled = cancelled.load(ordering: .relaxed)
        #expect(workCancelled)
        #expect(watch.waitingCount == 0)
    }

    @Test("the watch stops when nothing waits and starts again for the next limit")
    func watchRestarts() async {
        let watch = DeadlineWatch(resolution: .milliseconds(10))
        for round in 1...3 {
            let answer = await awaitAtMost(.milliseconds(30), otherwise: round, watch: watch) {
                try? await Task.sleep(for: .seconds(60))
                return 0
            }
            #expect(answer == round)
            try? await Task.sleep(for: .milliseconds(50))
        }
        #expect(watch.waitingCount == 0)
    }
}
