import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import SignetServer

/// The client against a real SMTP server (aiosmtpd, see `SMTPSink`), which
/// checks the protocol, and whose Python e-mail parser reads back what was sent.
@Suite("SMTP client")
struct SMTPClientTests {
    static let from = "alerts@signet.example"

    static func withSink(
        starttls: Bool = false, implicitTLS: Bool = false, auth: (user: String, password: String)? = nil, onlyLogin: Bool = false,
        _ body: (SMTPSink) async throws -> Void
    ) async throws {
        let sink = try await SMTPSink(starttls: starttls, implicitTLS: implicitTLS, auth: auth, onlyLogin: onlyLogin)
        defer { sink.stop() }
        try await body(sink)
    }

    static func unixLines(_ text: String?) -> String? {
        text?.replacingOccurrences(of: "\r\n", with: "\n")
    }

    @Test("a French message reaches a local relay with its recipients, subject and bodies intact")
    func frenchMessage() async throws {
        try await Self.withSink { sink in
            let subject = "Alerte : scan suspect à Besançon — sceau n° 4711 déjà vérifié"
            let text = """
                Bonjour Élodie,

                Le sceau 4711 de « Crème brûlée » a été scanné deux fois en 3 minutes.
                Grüße, señales y niños: ça doit marcher.
                .
                .une ligne qui commence par un point
                """
            let html = "<p>Le sceau <b>4711</b> a été scanné deux fois.</p>"
            let message = try MailMessage(
                from: Self.from, to: ["elodie@brand.example", "qualite@brand.example"], subject: subject,
                textBody: text, htmlBody: html)
            let client = try SMTPClient(configuration: SMTPConfiguration(
                host: "127.0.0.1", port: sink.port, security: .none, from: Self.from))
            try await client.send(message)

            let received = try sink.messages()
            try #require(received.count == 1)
            let mail = received[0]
            #expect(mail.mail_from == Self.from)
            #expect(mail.rcpt_tos == ["elodie@brand.example", "qualite@brand.example"])
            #expect(mail.to == ["elodie@brand.example", "qualite@brand.example"])
            #expect(mail.from == Self.from)
            #expect(mail.subject == subject)
            #expect(mail.content_type == "multipart/alternative")
            #expect(Self.unixLines(mail.text) == text)
            #expect(Self.unixLines(mail.html) == html)
            #expect(mail.message_id == "<\(message.messageID)>")
            #expect(mail.defects.isEmpty)
            #expect(!mail.tls)
            #expect(mail.authenticated_as == nil)
            let raw = try #require(Data(base64Encoded: mail.raw_base64))
            #expect(Array(raw) == message.rendered())
        }
    }

    @Test("several messages, one connection each")
    func severalMessages() async throws {
        try await Self.withSink { sink in
            let client = try SMTPClient(configuration: SMTPConfiguration(
                host: "127.0.0.1", port: sink.port, security: .none, from: Self.from))
            for index in 1...3 {
                try await client.send(MailMessage(from: Self.from, to: ["n\(index)@brand.example"], subject: "n° \(index)", textBody: "é"))
            }
            #expect(try sink.messages().map(\.subject) == ["n° 1", "n° 2", "n° 3"])
            #expect(try sink.messages().map(\.rcpt_tos) == [["n1@brand.example"], ["n2@brand.example"], ["n3@brand.example"]])
        }
    }

    @Test("STARTTLS with a trusted certificate, then AUTH PLAIN")
    func startTLSWithPlain() async throws {
        try await Self.withSink(starttls: true, auth: ("signet", "pâss wörd:@1")) { sink in
            let client = try SMTPClient(configuration: SMTPConfiguration(
                host: "127.0.0.1", port: sink.port, security: .startTLS,
                credentials: .init(username: "signet", password: "pâss wörd:@1"), from: Self.from,
                trustedCertificates: try NIOSSLCertificate.fromPEMFile(sink.certificatePath)))
            try await client.send(MailMessage(from: Self.from, to: ["owner@brand.example"], subject: "Chiffré", textBody: "Über TLS."))
            let mail = try #require(try sink.messages().first)
            #expect(mail.tls)
            #expect(mail.authenticated_as == "signet via PLAIN")
            #expect(mail.subject == "Chiffré")
            #expect(Self.unixLines(mail.text) == "Über TLS.\n")
        }
    }

    @Test("implicit TLS (smtps), configured from a URL")
    func implicitTLS() async throws {
        try await Self.withSink(implicitTLS: true, auth: ("signet", "p@ss/word")) { sink in
            var configuration = try SMTPConfiguration(url: "smtps://signet:p%40ss%2Fword@127.0.0.1:\(sink.port)?from=alerts%40signet.example")
            configuration.trustedCertificates = try NIOSSLCertificate.fromPEMFile(sink.certificatePath)
            try await SMTPClient(configuration: configuration).send(
                MailMessage(from: configuration.from, to: ["owner@brand.example"], subject: "Señal", textBody: "¡Hola!"))
            let mail = try #require(try sink.messages().first)
            #expect(mail.tls)
            #expect(mail.authenticated_as == "signet via PLAIN")
            #expect(mail.subject == "Señal")
        }
    }

    @Test("AUTH LOGIN when the server does not offer PLAIN")
    func authLogin() async throws {
        try await Self.withSink(starttls: true, auth: ("signet", "secret"), onlyLogin: true) { sink in
            let client = try SMTPClient(configuration: SMTPConfiguration(
                host: "localhost", port: sink.port, security: .startTLS,
                credentials: .init(username: "signet", password: "secret"), from: Self.from,
                trustedCertificates: try NIOSSLCertificate.fromPEMFile(sink.certificatePath)))
            try await client.send(MailMessage(from: Self.from, to: ["owner@brand.example"], subject: "x", textBody: "x"))
            #expect(try sink.messages().first?.authenticated_as == "signet via LOGIN")
        }
    }

    @Test("a wrong password is refused with the server's reply, and the password is not repeated")
    func wrongPassword() async throws {
        try await Self.withSink(starttls: true, auth: ("signet", "right")) { sink in
            let client = try SMTPClient(configuration: SMTPConfiguration(
                host: "127.0.0.1", port: sink.port, security: .startTLS,
                credentials: .init(username: "signet", password: "wrong-password"), from: Self.from,
                trustedCertificates: try NIOSSLCertificate.fromPEMFile(sink.certificatePath)))
            let message = try MailMessage(from: Self.from, to: ["owner@brand.example"], subject: "x", textBody: "x")
            do {
                try await client.send(message)
                Issue.record("a wrong password was accepted")
            } catch let error as SMTPError {
                guard case .rejected(let command, let reply) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(command == "AUTH PLAIN")
                #expect(reply.code == 535)
                #expect(!error.description.contains("wrong-password"))
                #expect(!error.description.contains(Base64Encoded.plain("signet", "wrong-password")))
            }
            #expect(try sink.messages().isEmpty)
        }
    }

    @Test("a certificate the client does not trust fails TLS")
    func untrustedCertificate() async throws {
        try await Self.withSink(starttls: true) { sink in
            let client = try SMTPClient(configuration: SMTPConfiguration(
                host: "127.0.0.1", port: sink.port, security: .startTLS, from: Self.from))
            await #expect {
                try await client.send(MailMessage(from: Self.from, to: ["owner@brand.example"], subject: "x", textBody: "x"))
            } throws: { error in
                guard case .tlsFailed = error as? SMTPError else { return false }
                return true
            }
            #expect(try sink.messages().isEmpty)
        }
    }

    @Test("STARTTLS required but not offered: nothing is sent")
    func startTLSNotOffered() async throws {
        try await Self.withSink { sink in
            let client = try SMTPClient(configuration: SMTPConfiguration(
                host: "127.0.0.1", port: sink.port, security: .startTLS, from: Self.from))
            await #expect(throws: SMTPError.startTLSNotOffered) {
                try await client.send(MailMessage(from: Self.from, to: ["owner@brand.example"], subject: "x", textBody: "x"))
            }
            #expect(try sink.messages().isEmpty)
        }
    }

    @Test("a server that requires STARTTLS refuses a client configured without it")
    func serverRequiresTLS() async throws {
        try await Self.withSink(starttls: true) { sink in
            let client = try SMTPClient(configuration: SMTPConfiguration(
                host: "127.0.0.1", port: sink.port, security: .none, from: Self.from))
            await #expect {
                try await client.send(MailMessage(from: Self.from, to: ["owner@brand.example"], subject: "x", textBody: "x"))
            } throws: { error in
                guard case .rejected(let command, let reply) = error as? SMTPError else { return false }
                return command.hasPrefix("MAIL FROM") && reply.code == 530
            }
        }
    }

    @Test("a server that never answers is given up after the timeout")
    func timeout() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let silent = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        defer { silent.close(promise: nil) }
        let port = try #require(silent.localAddress?.port)
        let client = try SMTPClient(configuration: SMTPConfiguration(
            host: "127.0.0.1", port: port, security: .none, from: Self.from, timeout: .milliseconds(300)))
        let started = ContinuousClock.now
        await #expect(throws: SMTPError.timedOut(after: .milliseconds(300))) {
            try await client.send(MailMessage(from: Self.from, to: ["owner@brand.example"], subject: "x", textBody: "x"))
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("a closed port fails to connect, naming the server")
    func connectionRefused() async throws {
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(probe.localAddress?.port)
        try await probe.close()
        let client = try SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: port, security: .none, from: Self.from))
        await #expect {
            try await client.send(MailMessage(from: Self.from, to: ["owner@brand.example"], subject: "x", textBody: "x"))
        } throws: { error in
            guard case .connectionFailed(let host, let failedPort, _) = error as? SMTPError else { return false }
            return host == "127.0.0.1" && failedPort == port
        }
    }
}

private enum Base64Encoded {
    static func plain(_ user: String, _ password: String) -> String {
        Data([0] + Array(user.utf8) + [0] + Array(password.utf8)).base64EncodedString()
    }
}
