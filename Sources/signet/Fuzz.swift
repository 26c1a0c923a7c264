import ArgumentParser
import Foundation
import SignetServer
import SignetTools

struct Fuzz: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send generated malformed requests to every route of a running server (scripts/fuzz).",
        discussion: """
            Prints the seed, the number sent and what came back by class; every request \
            answered 5xx or not at all is listed with its index. `--only INDEX` with the \
            same seed sends that one request again. Exits 1 if any request got a 5xx or no answer.
            """)

    @OptionGroup var options: CommonOptions
    @Option(help: "The server's base URL (http only).") var url = "http://127.0.0.1:8080"
    @Option var count = 10_000
    @Option(help: "Seed of the generator (default: random).") var seed: UInt64?
    @Option(help: "Send only the request with this index.") var only: Int?
    @Option var concurrency = 8
    @Option(help: "An API key, so API routes are reached past authentication.") var apiKey: String?
    @Option(help: "A portal session's Cookie header value.") var cookie: String?
    @Option(help: "That session's CSRF token.") var csrf: String?
    @Option(help: "A real seal's scan path, damaged in many ways.") var scanPath: String?

    func run() async throws {
        guard let components = URLComponents(string: url), components.scheme == "http", let host = components.host else {
            throw ValidationError("--url must be http://HOST[:PORT]")
        }
        let configuration = try await options.configuration()
        var logger = options.logger(configuration)
        logger.logLevel = .error
        let routes = try await routeList(configuration: configuration, logger: logger).compactMap(HostileRequestGenerator.Route.init)
        let seed = seed ?? UInt64.random(in: 0...UInt64.max)
        let generator = HostileRequestGenerator(
            routes: routes, seed: seed, host: components.port.map { "\(host):\($0)" } ?? host,
            credentials: .init(apiKey: apiKey, portalCookie: cookie, csrfToken: csrf), scanPath: scanPath)
        let client = HostileClient(host: host, port: components.port ?? 80)
        let indices = only.map { $0..<($0 + 1) } ?? 0..<count
        print("seed=\(seed)")
        print("routes=\(routes.count)")
        let report = await FuzzRun(generator: generator, client: client, concurrency: concurrency).run(indices)
        print("requests=\(report.sent)")
        for key in report.outcomes.keys.sorted() { print("\(key)=\(report.outcomes[key]!)") }
        for failure in report.failures.prefix(50) {
            print("failure index=\(failure.index) outcome=\(failure.outcome) \(failure.label)")
        }
        if !report.failures.isEmpty { throw ExitCode(1) }
    }
}
