import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import SignetCore
import SignetServer
import SignetTools
import Testing

/// A bounded slice of `scripts/fuzz` (which sends 10,000 and more), and the
/// connection limits that keep a hostile client from holding the server.
@Suite("Hostile input")
struct HostileInputTests {
    @Test("600 malformed requests across every route: no 5xx, every one answered, scans still right afterwards")
    func generatedRequests() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "fuzz@demo.test", role: .owner)
            let key = try await APIClientFixture.key(database, brand: "demo")
            var logger = Logger(label: "test")
            logger.logLevel = .error
            let routes = try await routeList(
                configuration: SignetConfiguration(resourcesDirectory: TestEnvironment.packageRoot), logger: logger
            ).compactMap(HostileRequestGenerator.Route.init)
            #expect(routes.count > 150)
            try await withTestApp(database, .live, scanRateLimit: 0, apiRateLimit: 0) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("fuzz@demo.test")
                let port = try #require(client.port)
                let cookie = browser.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
                let seed: UInt64 = 20_261_130
                let generator = HostileRequestGenerator(
                    routes: routes, seed: seed, host: "127.0.0.1:\(port)",
                    credentials: .init(apiKey: key, portalCookie: cookie, csrfToken: browser.csrf),
                    scanPath: demo.path(DemoFixture.honey, serial: "H00040"))
                let report = await FuzzRun(
                    generator: generator, client: HostileClient(host: "127.0.0.1", port: port, deadline: .seconds(30)), concurrency: 4
                ).run(0..<600)
                let failures = report.failures.map { "#\($0.index) \($0.outcome) \($0.label)" }
                #expect(report.sent == 600)
                #expect(report.serverErrors == 0, "seed \(seed): \(failures)")
                #expect(report.timeouts == 0, "seed \(seed): \(failures)")
                // Most of it is refused; some plausible requests get through.
                #expect(report.outcomes["4xx", default: 0] > 300, "\(report.outcomes)")
                #expect(report.outcomes["2xx", default: 0] + report.outcomes["3xx", default: 0] > 10, "\(report.outcomes)")

                let scan = try await client.execute(
                    uri: demo.path(DemoFixture.honey, serial: "H00041"), method: .get, headers: [.acceptLanguage: "en"])
                #expect(scan.status == .ok)
                #expect(scan.text.contains("data-verdict=\"genuine_first\""))
            }
        }
    }

    @Test("a head over 32 KiB is refused 400 before any route runs")
    func oversizedHead() async throws {
        try await withTestDatabase { database in
            try await withTestApp(database, .live) { client in
                let port = try #require(client.port)
                let head = "GET /livez HTTP/1.1\r\nHost: x\r\nCookie: a=\(String(repeating: "b", count: 40_000))\r\nConnection: close\r\n\r\n"
                let outcome = await HostileClient(host: "127.0.0.1", port: port).send(
                    HostileRequest(index: 0, label: "big head", bytes: Array(head.utf8)))
                #expect(outcome == .status(400) || outcome == .closedWithoutAnswer)
                #expect(try await client.execute(uri: "/livez", method: .get).status == .ok)
            }
        }
    }

    @Test("a client trickling its request head is dropped after the idle timeout, while others are served")
    func slowClientDropped() async throws {
        try await withTestDatabase { database in
            let app = try await makeTestApplication(database, idleTimeout: .seconds(1))
            try await app.testShuttingDownWithin(.live) { client in
                let port = try #require(client.port)
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                        }
                    }
                let started = ContinuousClock.now
                let heldFor = try await channel.executeThenClose { inbound, outbound in
                    try await withThrowingTaskGroup(of: Duration?.self) { group in
                        group.addTask {
                            // The server closes the connection; a reset (it was still being written to) is the same.
                            do { for try await _ in inbound {} } catch {}
                            return ContinuousClock.now - started
                        }
                        group.addTask {
                            try await outbound.write(ByteBuffer(string: "GET /livez HTTP/1.1\r\nHost: x\r\n"))
                            for _ in 0..<100 {
                                try await Task.sleep(for: .milliseconds(200))
                                try? await outbound.write(ByteBuffer(string: "X-Slow: 1\r\n"))
                            }
                            return nil
                        }
                        // Served meanwhile.
                        #expect(try await client.execute(uri: "/livez", method: .get).status == .ok)
                        let first = try await group.next() ?? nil
                        group.cancelAll()
                        return first
                    }
                }
                let held = try #require(heldFor, "the slow client was never dropped (20 s)")
                // One second of idle timeout, and room for a loaded test run.
                #expect(held < .seconds(10), "held for \(held)")
            }
        }
    }
}
