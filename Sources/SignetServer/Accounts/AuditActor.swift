/// Who did something, for the audit log.
public enum AuditActor: Sendable {
    case user(id: Int64, email: String)
    case apiKey(id: Int64, name: String)
    case commandLine

    var kind: String {
        switch self {
        case .user: "user"
        case .apiKey: "api_key"
        case .commandLine: "cli"
        }
    }

    var id: Int64? {
        switch self {
        case .user(let id, _), .apiKey(let id, _): id
        case .commandLine: nil
        }
    }

    var name: String {
        switch self {
        case .user(_, let email): email
        case .apiKey(_, let name): name
        case .commandLine: "command line"
        }
    }
}
