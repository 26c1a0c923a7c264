import SignetCore

/// What a capture did: how many events it stored, which it had already
/// (by eventID) and what was wrong with the others.
struct TraceCaptureOutcome: Sendable, Codable, Equatable {
    struct EventError: Sendable, Codable, Equatable {
        var index: Int
        var field: String
        var message: String
    }

    var captured: Int
    var duplicates: [String]
    var errors: [EventError]
    /// All-or-nothing capture met an error: nothing was stored.
    var rolledBack: Bool

    var success: Bool { errors.isEmpty }

    static func failed(_ errors: [EPCISEventErrors]) -> TraceCaptureOutcome {
        TraceCaptureOutcome(captured: 0, duplicates: [], errors: flatten(errors), rolledBack: true)
    }

    static func flatten(_ errors: [EPCISEventErrors]) -> [EventError] {
        errors.sorted { $0.index < $1.index }.flatMap { event in
            event.errors.map { EventError(index: event.index, field: $0.field, message: $0.message) }
        }
    }
}
