import Foundation
import Testing

@testable import SignetServer

/// The client against `ScriptedSMTPServer`, for server behaviour aiosmtpd never shows.
@Suite("SMTP client with a scripted server")
struct SMTPClientScriptedTests {
    static let from = "alerts@signet.example"

    /// A well-behaved exchange; `overrides` replaces the answer to a command (matched by prefix).
    static func script(ehlo: [String] = ["250-scripted\r\n250 8BITMIME\r\n"], _ overrides: [String: [String]] = [:])
        -> ScriptedSMTPServer.Script
    {
        { command in
            if let answer = overrides.first(where: { command.hasPrefix($0.key) })?.value { return answer }
            switch command {
            case _ where command.hasPrefix("EHLO"): return ehlo
            case _ where command.hasPrefix("HELO"), _ where command.hasPrefix("MAIL FROM"), _ where command.hasPrefix("RCPT TO"):
                return ["250 OK\r\n"]
            case "DATA": return ["354 go ahead\r\n"]
            case "<message>": return ["250 queued\r\n"]
            case "QUIT": return ["221 bye\r\n"]
            default: return ["500 unexpected\r\n"]
            }
        }
    }

    static func client(port: Int, security: SMTPConfiguration.Security = .none, credentials: SMTPConfiguration.Credentials? = nil)
        throws -> SMTPClient
    {
        try SMTPClient(configuration: SMTPConfiguration(
            host: "127.0.0.1", port: port, security: security, credentials: credentials, from: from,
            timeout: .seconds(10), clientName: "client.test"))
    }

    static func message(to: [String] = ["owner@brand.example"]) throws -> MailMessage {
        try MailMessage(from: from, to: to, subject: "x", textBody: "x")
    }

    @Test("replies cut anywhere across packets, multi-line ones included, are read whole")
    func splitReplies() async throws {
        let server = try await ScriptedSMTPServer.start(
            greeting: ["22", "0 scripted", " ESMTP\r", "\n"],
            script: Self.script(ehlo: ["250-scripted\r", "\n250-SIZE 1000\r\n25", "0 8BITMIME\r\n"]))
        defer { server.stop() }
        try await Self.client(port: server.port).send(Self.message(to: ["a@brand.example", "b@brand.example"]))
        #expect(server.receivedCommands == [
            "EHLO client.test", "MAIL FROM:<alerts@signet.example>", "RCPT TO:<a@brand.example>", "RCPT TO:<b@brand.example>",
            "DATA", "<message>", "QUIT",
        ])
    }

    @Test("a reply sent in clear right after STARTTLS's 220 stops the exchange before TLS")
    func injectionAfterStartTLS() async throws {
        let server = try await ScriptedSMTPServer.start(script: Self.script(
            ehlo: ["250-scripted\r\n250 STARTTLS\r\n"], ["STARTTLS": ["220 go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n"]]))
        defer { server.stop() }
        await #expect(throws: SMTPError.dataBeforeTLS) {
            try await Self.client(port: server.port, security: .startTLS).send(Self.message())
        }
        #expect(server.receivedCommands == ["EHLO client.test", "STARTTLS"])
    }

    @Test("a refused recipient stops the exchange before DATA, with the server's reply")
    func refusedRecipient() async throws {
        let server = try await ScriptedSMTPServer.start(script: Self.script(["RCPT TO:<gone@": ["550 5.1.1 no such user\r\n"]]))
        defer { server.stop() }
        let expected = SMTPError.rejected(
            command: "RCPT TO:<gone@brand.example>", reply: SMTPReply(code: 550, lines: ["5.1.1 no such user"]))
        await #expect(throws: expected) {
            try await Self.client(port: server.port).send(Self.message(to: ["a@brand.example", "gone@brand.example"]))
        }
        #expect(!server.receivedCommands.contains("DATA"))
        #expect(expected.description == "the SMTP server answered 550 to RCPT TO:<gone@brand.example>: 5.1.1 no such user")
    }

    @Test("a message refused after DATA is an error")
    func refusedMessage() async throws {
        let server = try await ScriptedSMTPServer.start(script: Self.script(["<message>": ["554 5.7.1 looks like spam\r\n"]]))
        defer { server.stop() }
        await #expect(throws: SMTPError.rejected(
            command: "the message (DATA)", reply: SMTPReply(code: 554, lines: ["5.7.1 looks like spam"]))) {
            try await Self.client(port: server.port).send(Self.message())
        }
    }

    @Test("a server without EHLO is greeted with HELO when no extension is needed")
    func heloFallback() async throws {
        let server = try await ScriptedSMTPServer.start(script: Self.script(ehlo: ["502 command not implemented\r\n"]))
        defer { server.stop() }
        try await Self.client(port: server.port).send(Self.message())
        #expect(server.receivedCommands.prefix(2) == ["EHLO client.test", "HELO client.test"])
    }

    @Test("a refused or garbled greeting ends the exchange")
    func greetings() async throws {
        let refusing = try await ScriptedSMTPServer.start(greeting: ["554 no service for you\r\n"], script: Self.script())
        defer { refusing.stop() }
        await #expect(throws: SMTPError.rejected(command: "the connection", reply: SMTPReply(code: 554, lines: ["no service for you"]))) {
            try await Self.client(port: refusing.port).send(Self.message())
        }
        let garbled = try await ScriptedSMTPServer.start(greeting: ["HTTP/1.1 400 Bad Request\r\n"], script: Self.script())
        defer { garbled.stop() }
        await #expect(throws: SMTPError.malformedReply("HTTP/1.1 400 Bad Request")) {
            try await Self.client(port: garbled.port).send(Self.message())
        }
    }

    @Test("credentials may go in clear to a relay on this machine, as AUTH PLAIN")
    func loopbackAuthentication() async throws {
        let server = try await ScriptedSMTPServer.start(script: Self.script(
            ehlo: ["250-scripted\r\n250 AUTH LOGIN PLAIN\r\n"], ["AUTH PLAIN": ["235 2.7.0 accepted\r\n"]]))
        defer { server.stop() }
        try await Self.client(port: server.port, credentials: .init(username: "relay", password: "s3cret")).send(Self.message())
        let expected = "AUTH PLAIN " + Data([0] + Array("relay".utf8) + [0] + Array("s3cret".utf8)).base64EncodedString()
        #expect(server.receivedCommands.contains(expected))
    }
}
