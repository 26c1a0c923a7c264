import Foundation

/// A real SMTP server for a test: `scripts/test-support/smtp-sink.py`
/// (aiosmtpd), which keeps every message it accepts as JSON in a folder.
/// Unchecked: every property is set once in `init`, and `messages()` only reads files.
final class SMTPSink: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// What the server recorded for one message, as Python's e-mail parser read it.
    struct ReceivedMessage: Decodable {
        let mail_from: String
        let rcpt_tos: [String]
        let authenticated_as: String?
        let tls: Bool
        let raw_base64: String
        let subject: String?
        let from: String?
        let to: [String]
        let message_id: String?
        let date: String?
        let content_type: String
        let text: String?
        let html: String?
        let defects: [String]
    }

    /// Debian's python3-aiosmtpd lives in the system Python, whatever `python3` a PATH finds first.
    static let python = "/usr/bin/python3"

    let port: Int
    let folder: URL
    private let process: Process
    /// Held open: the server stops when it closes, even if this test process dies.
    private let input: Pipe

    /// Starts the server and waits until it accepts connections.
    init(
        starttls: Bool = false, implicitTLS: Bool = false, auth: (user: String, password: String)? = nil, onlyLogin: Bool = false
    ) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw Failure(description: "\(Self.python) is missing; the mail tests need Debian's python3 and python3-aiosmtpd")
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("signet-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("server.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)

        var arguments = ["\(TestEnvironment.packageRoot)/scripts/test-support/smtp-sink.py", "--out", folder.path]
        if starttls { arguments.append("--starttls") }
        if implicitTLS { arguments.append("--implicit-tls") }
        if let auth { arguments += ["--auth", "\(auth.user):\(auth.password)"] }
        if onlyLogin { arguments.append("--only-login") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = arguments
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()

        let portFile = folder.appendingPathComponent("port")
        for _ in 0..<400 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                self.process = process
                self.input = input
                self.port = port
                return
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw Failure(description: """
            the test SMTP server (scripts/test-support/smtp-sink.py) did not start, exit status \
            \(process.terminationStatus). Is python3-aiosmtpd installed (apt-get install python3-aiosmtpd; \
            scripts/test installs it)? Its output: \(output.isEmpty ? "(none)" : output)
            """)
    }

    /// The messages received so far, in order.
    func messages() throws -> [ReceivedMessage] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") }
            .sorted { Int($0.dropLast(5))! < Int($1.dropLast(5))! }
        return try names.map { name in
            try JSONDecoder().decode(ReceivedMessage.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
        }
    }

    /// The certificate the server presents when started with TLS.
    var certificatePath: String { folder.appendingPathComponent("cert.pem").path }

    /// Closing its input lets the server stop by itself; SIGKILL is for one that does not.
    func stop() {
        try? input.fileHandleForWriting.close()
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }
}
