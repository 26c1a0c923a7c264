import SignetCore
import Testing

@testable import SignetServer

@Suite("SMTP configuration URLs")
struct SMTPConfigurationTests {
    typealias Expected = (host: String, port: Int, security: SMTPConfiguration.Security, username: String?, password: String?, from: String)

    @Test("accepted URLs", arguments: [
        ("smtp://user:pass@smtp.example.com:587?from=alerts%40example.com",
         ("smtp.example.com", 587, .startTLS, "user", "pass", "alerts@example.com")),
        ("smtp://user:pass@smtp.example.com?from=alerts@example.com",
         ("smtp.example.com", 587, .startTLS, "user", "pass", "alerts@example.com")),
        ("smtps://user:pass@smtp.example.com:465?from=alerts%40example.com",
         ("smtp.example.com", 465, .implicitTLS, "user", "pass", "alerts@example.com")),
        ("smtps://smtp.example.com?from=a@example.com", ("smtp.example.com", 465, .implicitTLS, nil, nil, "a@example.com")),
        ("smtp://127.0.0.1:25?from=a@example.com", ("127.0.0.1", 25, .none, nil, nil, "a@example.com")),
        ("smtp://localhost?from=a@example.com", ("localhost", 25, .none, nil, nil, "a@example.com")),
        ("smtp://relay.internal:2525?from=a@example.com&starttls=required",
         ("relay.internal", 2525, .startTLS, nil, nil, "a@example.com")),
        ("smtp://relay.internal?starttls=required&from=a@example.com", ("relay.internal", 587, .startTLS, nil, nil, "a@example.com")),
        ("smtp://user:pass@127.0.0.1:25?from=a@example.com&starttls=off", ("127.0.0.1", 25, .none, "user", "pass", "a@example.com")),
        // Percent-decoded credentials: @ : / % and a space, and UTF-8.
        ("smtp://apikey%40tenant:p%40ss%3Aw%2Frd%25%20x@smtp.example.com?from=a@example.com",
         ("smtp.example.com", 587, .startTLS, "apikey@tenant", "p@ss:w/rd% x", "a@example.com")),
        ("smtp://%C3%A9lodie:mot%C3%A0passe@smtp.example.com?from=a@example.com",
         ("smtp.example.com", 587, .startTLS, "élodie", "motàpasse", "a@example.com")),
        ("SMTP://[::1]:2525/?from=a@example.com", ("::1", 2525, .none, nil, nil, "a@example.com")),
    ] as [(String, Expected)])
    func accepted(_ url: String, _ expected: Expected) throws {
        let configuration = try SMTPConfiguration(url: url)
        #expect(configuration.host == expected.host)
        #expect(configuration.port == expected.port)
        #expect(configuration.security == expected.security)
        #expect(configuration.credentials?.username == expected.username)
        #expect(configuration.credentials?.password == expected.password)
        #expect(configuration.from == expected.from)
        #expect(configuration.timeout == .seconds(30))
    }

    @Test("refused URLs say why", arguments: [
        ("", SMTPConfigurationError.notAURL),
        ("smtp.example.com:587", .unsupportedScheme("smtp.example.com")),
        ("http://smtp.example.com?from=a@example.com", .unsupportedScheme("http")),
        ("smtp://?from=a@example.com", .missingHost),
        ("smtp:///path?from=a@example.com", .missingHost),
        ("smtp://smtp.example.com/mail?from=a@example.com", .unexpectedPath("/mail")),
        ("smtp://smtp.example.com?from=a@example.com#x", .unexpectedFragment),
        ("smtp://smtp.example.com", .missingFrom),
        ("smtp://smtp.example.com?from=", .missingFrom),
        ("smtp://smtp.example.com?from=nobody", .invalidFrom("nobody")),
        ("smtp://smtp.example.com?from=a@example.com%0D%0ABcc:x@y.example", .invalidFrom("a@example.com\r\nBcc:x@y.example")),
        ("smtp://smtp.example.com?from=a@example.com&form=b@example.com", .unknownParameter("form")),
        ("smtp://smtp.example.com?from=a@example.com&from=b@example.com", .repeatedParameter("from")),
        ("smtp://user@smtp.example.com?from=a@example.com", .missingPassword),
        ("smtp://user:@smtp.example.com?from=a@example.com", .missingPassword),
        ("smtp://smtp.example.com?from=a@example.com&starttls=yes", .invalidStartTLS("yes")),
        ("smtp://smtp.example.com?from=a@example.com&starttls", .invalidStartTLS("")),
        ("smtps://smtp.example.com?from=a@example.com&starttls=required", .startTLSWithImplicitTLS),
        ("smtps://smtp.example.com?from=a@example.com&starttls=off", .startTLSWithImplicitTLS),
    ] as [(String, SMTPConfigurationError)])
    func refused(_ url: String, _ error: SMTPConfigurationError) {
        #expect(throws: error) { try SMTPConfiguration(url: url) }
    }

    @Test("errors read as sentences that name the setting")
    func descriptions() {
        #expect(SMTPConfigurationError.missingFrom.description.contains("?from="))
        #expect(SMTPConfigurationError.invalidStartTLS("yes").description.contains("required or off"))
        #expect(!SMTPConfigurationError.missingPassword.description.isEmpty)
    }

    @Test("credentials go in clear only to a loopback peer")
    func loopback() throws {
        for address in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"] {
            #expect(SMTPConfiguration.isLoopback(try #require(IPAddress(address))))
        }
        for address in ["10.0.0.1", "192.168.1.10", "::2", "fe80::1", "93.184.215.14"] {
            #expect(!SMTPConfiguration.isLoopback(try #require(IPAddress(address))))
        }
    }

    @Test("the EHLO name is a domain or an address literal, never something that ends the line")
    func clientNames() throws {
        for name in ["mail.signet.example", "localhost", "host-1", "[192.0.2.1]", "[IPv6:2001:db8::1]"] {
            #expect(SMTPConfiguration.isUsableClientName(name), "\(name)")
        }
        for name in ["", "[]", "[not an address]", "host name", "host\r\nRCPT TO:<x@y>", "hôte.example", "a_b"] {
            #expect(!SMTPConfiguration.isUsableClientName(name), "\(name)")
        }
        #expect(SMTPConfiguration.isUsableClientName(SMTPConfiguration.machineName))
        let configuration = SMTPConfiguration(host: "127.0.0.1", port: 25, security: .none, from: "a@b.example", clientName: "bad\r\nname")
        #expect(throws: SMTPConfigurationError.invalidClientName("bad\r\nname")) { try SMTPClient(configuration: configuration) }
    }

    @Test("printing a configuration does not show the password")
    func passwordHidden() throws {
        let configuration = try SMTPConfiguration(url: "smtp://user:hunter2secret@smtp.example.com?from=a@example.com")
        #expect(!"\(configuration)".contains("hunter2secret"))
        #expect(!String(reflecting: configuration).contains("hunter2secret"))
        #expect("\(configuration)".contains("user"))
    }
}
