/// Who did something, for the audit log.
public enum AuditActor: Sendable {
    case user(id: Int64, email: String)
    case apiKey(id: Int64, name: String)
    case commandLine
    /// Signet itself, e.g. the webhook dispatcher switching off a failing endpoint.
    case system

    var kind: String {
        switch self {
        case .user: "user"
        case .apiKey: "api_key"
        case .commandLine: "cli"
        case .system: "system"
        }
    }

    var id: Int64? {
        switch self {
        case .user(let id, _), .apiKey(let id, _): id
        case .commandLine, .system: nil
        }
    }

    var name: String {
        switch self {
        case .user(_, let email): email
        case .apiKey(_, let name): name
        case .commandLine: "command line"
        case .system: "Signet"
        }
    }
}
