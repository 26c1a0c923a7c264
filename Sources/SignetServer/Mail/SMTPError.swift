/// Why a message was not handed over. Refusals carry the server's reply, so
/// a log line says what the relay objected to.
public enum SMTPError: Error, Equatable, CustomStringConvertible {
    case connectionFailed(host: String, port: Int, reason: String)
    /// The server answered `command` with a reply that does not let the exchange go on.
    case rejected(command: String, reply: SMTPReply)
    case malformedReply(String)
    case replyLineTooLong
    case connectionClosed
    /// The connection broke after it was made (reset, unreachable...).
    case transportFailed(String)
    case timedOut(after: Duration)
    case startTLSNotOffered
    /// The server sent more after agreeing to STARTTLS: text injected in clear
    /// that would otherwise be read as if it came over TLS.
    case dataBeforeTLS
    case tlsFailed(String)
    /// Credentials are only sent over TLS, or to a relay on this machine.
    case authenticationWithoutTLS
    case noSupportedAuthenticationMechanism(offered: [String])

    public var description: String {
        switch self {
        case .connectionFailed(let host, let port, let reason): "cannot connect to the SMTP server \(host):\(port): \(reason)"
        case .rejected(let command, let reply): "the SMTP server answered \(reply.code) to \(command): \(reply.text)"
        case .malformedReply(let line): "the SMTP server sent something that is not a reply: \(line.prefix(200).debugDescription)"
        case .replyLineTooLong: "the SMTP server sent a reply line longer than any server should"
        case .connectionClosed: "the SMTP server closed the connection before the exchange ended"
        case .transportFailed(let reason): "the connection to the SMTP server failed: \(reason)"
        case .timedOut(let limit): "the SMTP exchange took more than \(limit)"
        case .startTLSNotOffered: "the SMTP server does not offer STARTTLS, which the configuration requires"
        case .dataBeforeTLS: "the SMTP server sent data before the TLS handshake (refused as a possible injection)"
        case .tlsFailed(let reason): "TLS with the SMTP server failed: \(reason)"
        case .authenticationWithoutTLS: "refusing to send SMTP credentials without TLS to a server that is not on this machine"
        case .noSupportedAuthenticationMechanism(let offered):
            "the SMTP server offers none of PLAIN and LOGIN (offers: \(offered.isEmpty ? "nothing" : offered.joined(separator: " ")))"
        }
    }
}
