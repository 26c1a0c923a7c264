import NIOCore
import NIOPosix
import NIOSSL
import SignetCore

/// Hands messages to an SMTP server (a relay or the provider's submission
/// service), which delivers them onwards.
///
/// Each `send` opens its own connection and closes it with QUIT: Signet
/// sends a few messages an hour, and a connection kept open between them
/// would only be cut by the server's idle timeout. The whole exchange, from
/// connecting to the server's acceptance of the message, must end within the
/// configuration's `timeout`; cancelling the calling task closes the
/// connection. Either every recipient is accepted and the message is sent,
/// or nothing is sent and the error names the refusal.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let tlsContext: NIOSSLContext

    public init(
        configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        guard SMTPConfiguration.isUsableClientName(configuration.clientName) else {
            throw SMTPConfigurationError.invalidClientName(configuration.clientName)
        }
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let certificates = configuration.trustedCertificates {
            tls.trustRoots = .certificates(certificates)
        }
        tlsContext = try NIOSSLContext(configuration: tls)
    }

    public func send(_ message: MailMessage) async throws(SMTPError) {
        let data = SMTPDotStuffing.dataSection(for: message.rendered())
        let deadline = NIODeadline.now() + TimeAmount(configuration.timeout)
        let connection = try await SMTPConnection.open(
            host: configuration.host, port: configuration.port,
            tls: configuration.security == .implicitTLS ? tlsContext : nil,
            deadline: deadline, timeout: configuration.timeout, eventLoopGroup: eventLoopGroup)
        defer { connection.close() }
        do {
            try await withTaskCancellationHandler {
                try await converse(on: connection, message: message, data: data)
            } onCancel: {
                connection.close()
            }
        } catch let error as SMTPError {
            throw error
        } catch {
            throw .transportFailed(String(describing: error))
        }
    }

    private func converse(on connection: SMTPConnection, message: MailMessage, data: [UInt8]) async throws(SMTPError) {
        let greeting = try await connection.nextReply()
        guard greeting.code == 220 else { throw .rejected(command: "the connection", reply: greeting) }
        var capabilities = try await hello(on: connection)
        var isEncrypted = configuration.security == .implicitTLS

        if configuration.security == .startTLS {
            guard capabilities.extensionKeywords.contains("STARTTLS") else { throw .startTLSNotOffered }
            try await command("STARTTLS", on: connection, expecting: [220])
            try await connection.startTLS(context: tlsContext, host: configuration.host)
            isEncrypted = true
            // RFC 3207 §4.2: everything learnt before TLS is forgotten and asked again.
            capabilities = try await hello(on: connection)
        }

        if let credentials = configuration.credentials {
            let isLocal = connection.peerAddress.map(SMTPConfiguration.isLoopback) ?? false
            guard isEncrypted || isLocal else { throw .authenticationWithoutTLS }
            try await authenticate(credentials, mechanisms: capabilities.authenticationMechanisms, on: connection)
        }

        try await command("MAIL FROM:<\(message.from)>", on: connection, expecting: [250])
        for recipient in message.to {
            try await command("RCPT TO:<\(recipient)>", on: connection, expecting: [250, 251])
        }
        try await command("DATA", on: connection, expecting: [354])
        try await connection.write(data)
        let accepted = try await connection.nextReply()
        guard accepted.code == 250 else { throw .rejected(command: "the message (DATA)", reply: accepted) }
        // The message is the server's now; a QUIT that goes wrong changes nothing.
        _ = try? await command("QUIT", on: connection, expecting: [221])
    }

    /// EHLO, or HELO from a server too old for EHLO (only where no extension is needed).
    private func hello(on connection: SMTPConnection) async throws(SMTPError) -> SMTPReply {
        try await connection.write(Array("EHLO \(configuration.clientName)\r\n".utf8))
        let reply = try await connection.nextReply()
        if reply.code == 250 { return reply }
        let needsExtensions = configuration.security == .startTLS || configuration.credentials != nil
        guard (500...502).contains(reply.code), !needsExtensions else { throw .rejected(command: "EHLO", reply: reply) }
        return try await command("HELO \(configuration.clientName)", on: connection, expecting: [250])
    }

    /// AUTH PLAIN (RFC 4616) when offered, else AUTH LOGIN, the older form some
    /// providers still list alone. Credentials never appear in errors.
    private func authenticate(
        _ credentials: SMTPConfiguration.Credentials, mechanisms: Set<String>, on connection: SMTPConnection
    ) async throws(SMTPError) {
        let username = Array(credentials.username.utf8), password = Array(credentials.password.utf8)
        if mechanisms.contains("PLAIN") {
            let response = Base64.encode([0] + username + [0] + password)
            try await command("AUTH PLAIN \(response)", shownAs: "AUTH PLAIN", on: connection, expecting: [235])
        } else if mechanisms.contains("LOGIN") {
            try await command("AUTH LOGIN", on: connection, expecting: [334])
            try await command(Base64.encode(username), shownAs: "AUTH LOGIN (user name)", on: connection, expecting: [334])
            try await command(Base64.encode(password), shownAs: "AUTH LOGIN (password)", on: connection, expecting: [235])
        } else {
            throw .noSupportedAuthenticationMechanism(offered: mechanisms.sorted())
        }
    }

    @discardableResult
    private func command(
        _ line: String, shownAs name: String? = nil, on connection: SMTPConnection, expecting codes: Set<Int>
    ) async throws(SMTPError) -> SMTPReply {
        try await connection.write(Array("\(line)\r\n".utf8))
        let reply = try await connection.nextReply()
        guard codes.contains(reply.code) else { throw .rejected(command: name ?? line, reply: reply) }
        return reply
    }
}
