import Foundation
import Synchronization

/// A one-line progress bar on standard error, redrawn at most 10 times a second.
final class ProgressBar: Sendable {
    private let lastDraw = Mutex<ContinuousClock.Instant?>(nil)

    func show(done: Int64, total: Int64) {
        let now = ContinuousClock.now
        let due = lastDraw.withLock { last in
            guard done >= total || last.map({ now - $0 >= .milliseconds(100) }) ?? true else { return false }
            last = now
            return true
        }
        guard due, total > 0 else { return }
        let width = 30
        let filled = Int(done * Int64(width) / total)
        let percent = done * 100 / total
        let line = "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] \(percent)% \(done)/\(total)"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
