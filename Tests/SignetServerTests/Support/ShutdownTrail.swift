import Foundation
import Logging
import Synchronization

/// The test application's log: warnings and worse go to standard error as
/// before; the service group's own debug lines are kept in memory and printed
/// only when a shutdown has not ended 40 s after it began, naming the
/// service that was asked to stop and has not, so a hung test run explains itself.
struct ShutdownTrailLogHandler: LogHandler {
    private let trail: ShutdownTrail
    private var printer: StreamLogHandler
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Debug, so the service group's lines reach `log`; other debug lines are dropped there.
    var logLevel: Logger.Level = .debug

    init(label: String) {
        trail = ShutdownTrail(label: label)
        printer = StreamLogHandler.standardError(label: label)
        printer.logLevel = .warning
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        if event.level >= .warning { printer.log(event: event) }
        if event.source == "ServiceLifecycle" { trail.record(event) }
    }
}

private final class ShutdownTrail: Sendable {
    private struct State {
        var lines: [String] = []
        var watching = false
    }

    private let label: String
    private let state = Mutex(State())

    init(label: String) { self.label = label }

    func record(_ event: LogEvent) {
        let message = event.message.description
        // A service's description can run to a screenful; its type names it.
        let service = event.metadata?["sl-service"].map { " [\("\($0)".prefix { $0 != "(" })]" } ?? ""
        let startWatch = state.withLock { state in
            state.lines.append("\(Date()) \(message)\(service)")
            if state.lines.count > 60 { state.lines.removeFirst() }
            guard message == "Triggering graceful shutdown for service", !state.watching else { return false }
            state.watching = true
            return true
        }
        guard startWatch else { return }
        Task.detached { [self] in
            try? await Task.sleep(for: .seconds(40))
            // Every group (the test framework's, the application's own) ends with this line.
            let lines = state.withLock { $0.lines }
            guard lines.last?.hasSuffix("Service lifecycle ended") == false else { return }
            let text = "\(label): shutdown still running after 40 s; last service group lines:\n  " + lines.joined(separator: "\n  ") + "\n"
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}
