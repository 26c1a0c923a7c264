import Foundation
import NIOSSL
import SignetCore

/// Where and how mail is handed over, read from one URL:
///
/// - `smtp://user:pass@smtp.example.com:587?from=alerts%40example.com`:
///   STARTTLS, required because credentials are given;
/// - `smtps://user:pass@smtp.example.com:465?from=...`: TLS from the first byte;
/// - `smtp://127.0.0.1:25?from=...`: a local relay, in clear.
///
/// `?starttls=required|off` overrides the choice for `smtp`. User and password
/// are percent-decoded (a password holding `@`, `:` or `/` must be written
/// `%40`, `%3A`, `%2F`). `from` is required: the envelope sender and the
/// `From:` of Signet's messages. Without a port, `smtps` uses 465, `smtp`
/// 587 with STARTTLS and 25 without. Certificates are checked against the
/// system's trust store, or `trustedCertificates` when set; there is no way
/// to turn the check off.
public struct SMTPConfiguration: Sendable {
    public enum Security: String, Sendable, Equatable {
        /// Clear text, for a relay on this machine or a trusted network.
        case none
        /// Clear text upgraded with STARTTLS before anything else is said; refused if the server does not offer it.
        case startTLS
        /// TLS from the first byte (`smtps`).
        case implicitTLS
    }

    /// Printing a configuration shows the user name but never the password.
    public struct Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }

        public var description: String { "\(username) (password hidden)" }
        public var debugDescription: String { description }
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var credentials: Credentials?
    public var from: String
    /// The limit for one whole exchange, from connecting to QUIT.
    public var timeout: Duration
    /// The name given in EHLO; by default this machine's host name.
    public var clientName: String
    /// Certificates trusted in place of the system's store (a private relay's own CA, tests).
    public var trustedCertificates: [NIOSSLCertificate]?

    public init(
        host: String, port: Int, security: Security, credentials: Credentials? = nil, from: String,
        timeout: Duration = .seconds(30), clientName: String = SMTPConfiguration.machineName, trustedCertificates: [NIOSSLCertificate]? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.credentials = credentials
        self.from = from
        self.timeout = timeout
        self.clientName = clientName
        self.trustedCertificates = trustedCertificates
    }

    public init(url text: String) throws(SMTPConfigurationError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw .notAURL
        }
        guard scheme == "smtp" || scheme == "smtps" else { throw .unsupportedScheme(scheme) }
        guard var host = components.host, !host.isEmpty else { throw .missingHost }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard components.path.isEmpty || components.path == "/" else { throw .unexpectedPath(components.path) }
        guard components.fragment == nil else { throw .unexpectedFragment }

        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard ["from", "starttls"].contains(item.name) else { throw .unknownParameter(item.name) }
            guard query[item.name] == nil else { throw .repeatedParameter(item.name) }
            query[item.name] = item.value ?? ""
        }

        var credentials: Credentials?
        if let encodedUser = components.percentEncodedUser {
            guard let username = encodedUser.removingPercentEncoding, !username.isEmpty else { throw .invalidCredentials }
            guard let password = components.percentEncodedPassword?.removingPercentEncoding, !password.isEmpty else {
                throw .missingPassword
            }
            credentials = Credentials(username: username, password: password)
        }

        let security: Security
        switch (scheme, query["starttls"]) {
        case ("smtps", nil): security = .implicitTLS
        case ("smtps", .some): throw .startTLSWithImplicitTLS
        case ("smtp", nil): security = credentials == nil ? .none : .startTLS
        case ("smtp", "required"): security = .startTLS
        case ("smtp", "off"): security = .none
        case (_, let other): throw .invalidStartTLS(other ?? "")
        }

        guard let from = query["from"], !from.isEmpty else { throw .missingFrom }
        do {
            try MailMessage.checkAddress(from, field: "From")
        } catch {
            throw .invalidFrom(from)
        }

        let defaultPort = switch security {
        case .implicitTLS: 465
        case .startTLS: 587
        case .none: 25
        }
        self.init(
            host: host, port: components.port ?? defaultPort, security: security, credentials: credentials, from: from)
    }

    /// This machine's host name when EHLO may carry it, else `localhost`.
    public static var machineName: String {
        let name = ProcessInfo.processInfo.hostName
        return isUsableClientName(name) ? name : "localhost"
    }

    /// A domain name (letters, digits, `-`, `.`) or an address literal (`[192.0.2.1]`):
    /// what EHLO takes, and nothing that could end the command line.
    static func isUsableClientName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") {
            return bytes.count > 2 && IPAddress(name.dropFirst().dropLast().replacing("IPv6:", with: "")) != nil
        }
        return !bytes.isEmpty && bytes.count <= 253 && bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."): true
            default: false
            }
        }
    }

    /// Whether credentials may be sent before TLS: only to a relay on this machine,
    /// where nobody can listen in between. Judged on the address actually connected to.
    static func isLoopback(_ address: IPAddress) -> Bool {
        loopbackNetworks.contains { $0.contains(address) }
    }

    private static let loopbackNetworks = [CIDR("127.0.0.0/8")!, CIDR("::1/128")!]
}

public enum SMTPConfigurationError: Error, Equatable, CustomStringConvertible {
    case notAURL
    case unsupportedScheme(String)
    case missingHost
    case unexpectedPath(String)
    case unexpectedFragment
    case unknownParameter(String)
    case repeatedParameter(String)
    case invalidCredentials
    case missingPassword
    case invalidStartTLS(String)
    case startTLSWithImplicitTLS
    case missingFrom
    case invalidFrom(String)
    case invalidClientName(String)

    public var description: String {
        let shape = "smtp://user:password@host:587?from=alerts%40example.com"
        return switch self {
        case .notAURL: "the SMTP URL is not a URL; expected \(shape)"
        case .unsupportedScheme(let scheme): "the SMTP URL's scheme must be smtp or smtps, not \(scheme)"
        case .missingHost: "the SMTP URL has no host; expected \(shape)"
        case .unexpectedPath(let path): "the SMTP URL has a path (\(path)); settings go in the query: ?from=...&starttls=..."
        case .unexpectedFragment: "the SMTP URL has a #fragment; a # in the password must be written %23"
        case .unknownParameter(let name): "the SMTP URL has an unknown parameter \(name) (known: from, starttls)"
        case .repeatedParameter(let name): "the SMTP URL gives \(name) more than once"
        case .invalidCredentials: "the SMTP URL's user name is empty or badly percent-encoded"
        case .missingPassword: "the SMTP URL has a user name but no password"
        case .invalidStartTLS(let value): "the SMTP URL's starttls must be required or off, not \(value.debugDescription)"
        case .startTLSWithImplicitTLS: "smtps is TLS from the start; starttls does not apply (use smtp:// for STARTTLS)"
        case .missingFrom: "the SMTP URL needs ?from=sender%40example.com, the address mail is sent from"
        case .invalidFrom(let from): "the SMTP URL's from is not a plain e-mail address: \(from.debugDescription)"
        case .invalidClientName(let name): "the name given in EHLO must be a domain name or [address]: \(name.debugDescription)"
        }
    }
}
