import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
@testable import SignetServer
import SignetCore
import Testing

/// The outbox and its dispatchers, driven round by round against a real
/// receiver on loopback; "time passes" by making scheduled attempts due.
@Suite("Webhook dispatch")
struct WebhookDispatchTests {
    static let logger: Logger = {
        var logger = Logger(label: "webhook-test")
        logger.logLevel = .warning
        return logger
    }()
    static let box = SecretBox(key: Array(repeating: 7, count: 32))!

    struct Setup {
        var client: PostgresClient
        var databaseURL: String
        var endpointID: Int64
        var brandID: Int64

        var deliveries: WebhookDeliveryStore { WebhookDeliveryStore(database: client, logger: WebhookDispatchTests.logger) }

        func dispatcher(allowPrivate: Bool = true, ownerNotice: WebhookDispatcher.OwnerNotice? = nil) -> WebhookDispatcher {
            WebhookDispatcher(
                deliveries: deliveries, alerts: AlertStore(database: client, logger: WebhookDispatchTests.logger), box: WebhookDispatchTests.box,
                policy: OutboundAddressPolicy(allowPrivate: allowPrivate), logger: WebhookDispatchTests.logger, ownerNotice: ownerNotice)
        }

        func scalar<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T? {
            try await client.query(query, logger: WebhookDispatchTests.logger).collect().first?.decode(T.self)
        }

        /// Makes every scheduled attempt due now.
        func timePasses() async throws {
            try await client.query("UPDATE webhook_deliveries SET next_attempt_at = now() WHERE state = 'pending'", logger: WebhookDispatchTests.logger)
        }

        func enqueueTests(_ count: Int) async throws {
            try await client.query("""
                INSERT INTO webhook_deliveries (brand_id, endpoint_id, event_type, body)
                SELECT brand_id, id, 'webhook.test', convert_to('{"n":' || g || '}', 'UTF8')
                FROM webhook_endpoints, generate_series(1, \(count)) g WHERE id = \(endpointID)
                """, logger: WebhookDispatchTests.logger)
        }
    }

    /// A demo brand with one endpoint at `url`, and a client on its database.
    static func withEndpoint<T: Sendable>(
        url: String, _ body: @Sendable (Setup) async throws -> T
    ) async throws -> T {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            return try await database.withClient { client in
                let brandID = try #require(try await client.query("SELECT id FROM brands WHERE slug = 'demo'", logger: logger)
                    .collect().first?.decode(Int64.self))
                let (endpoint, _) = try await WebhookEndpointStore(database: client, box: box, logger: logger).create(
                    brandID: brandID, url: try WebhookEndpointURL(url, allowPrivate: true), description: "", alertTypes: [.counterfeit],
                    actor: .commandLine)
                return try await body(Setup(client: client, databaseURL: database.url, endpointID: endpoint.id, brandID: brandID))
            }
        }
    }

    @Test("a receiver that fails three times then succeeds gets the delivery exactly once more, and never again")
    func failThreeTimesThenSucceed() async throws {
        try await WebhookReceiver.run(answer: { $0 <= 3 ? .internalServerError : .ok }) { base, receiver in
            try await Self.withEndpoint(url: base + "/hooks") { setup in
                try await setup.enqueueTests(1)
                let dispatcher = setup.dispatcher()
                #expect(await dispatcher.runRound() == 1)
                // The first retry is scheduled 5 s after the attempt, give or take a tenth.
                let wait = try #require(try await setup.scalar("""
                    SELECT extract(epoch FROM d.next_attempt_at - t.attempted_at)::float8
                    FROM webhook_deliveries d JOIN webhook_attempts t ON t.delivery_id = d.id
                    """, as: Double.self))
                #expect(wait >= 4.5 && wait <= 5.5)
                for _ in 1...6 {
                    try await setup.timePasses()
                    await dispatcher.runRound()
                }
                let requests = await receiver.requests
                #expect(requests.count == 4)
                #expect(Set(requests.compactMap(\.id)).count == 1, "every attempt carries the same webhook-id")
                #expect(Set(requests.map(\.body)).count == 1, "and the same body")
                #expect(try await setup.scalar("SELECT state || ' ' || attempts FROM webhook_deliveries", as: String.self) == "delivered 4")
                let statuses = try await setup.client.query(
                    "SELECT status, response_head FROM webhook_attempts ORDER BY id", logger: Self.logger
                ).collect().map { try $0.decode((Int, String).self) }
                #expect(statuses.map(\.0) == [500, 500, 500, 200])
                #expect(statuses.last?.1 == "answer 4")
                #expect(try await setup.scalar("SELECT consecutive_failures FROM webhook_endpoints", as: Int.self) == 0)
            }
        }
    }

    @Test("a delivery in flight when shutdown begins is finished and recorded: the receiver gets it once, and nothing is left to send again")
    func shutdownFinishesDeliveryInFlight() async throws {
        try await WebhookReceiver.run(delay: .seconds(1)) { base, receiver in
            try await Self.withEndpoint(url: base + "/hooks") { setup in
                try await setup.enqueueTests(1)
                let services = ServiceGroup(configuration: .init(services: [setup.dispatcher()], logger: Self.logger))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await services.run() }
                    _ = try await receiver.waitFor(1)
                    // The receiver holds the request for a second: SIGTERM arrives mid-attempt.
                    await services.triggerGracefulShutdown()
                    try await group.waitForAll()
                }
                #expect(try await setup.scalar("SELECT state || ' ' || attempts FROM webhook_deliveries", as: String.self) == "delivered 1")
                try await setup.timePasses()
                #expect(await setup.dispatcher().runRound() == 0)
                #expect(await receiver.requests.count == 1)
            }
        }
    }

    @Test("two dispatchers over an outbox of 1,000 deliveries deliver each exactly once")
    func twoDispatchers() async throws {
        try await WebhookReceiver.run { base, receiver in
            try await Self.withEndpoint(url: base + "/hooks") { setup in
                try await setup.enqueueTests(1000)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<2 {
                        group.addTask {
                            // Each dispatcher on a pool of its own, as two instances would be.
                            try await withPostgresClient(setup.databaseURL) { client in
                                var dispatcher = Setup(client: client, databaseURL: setup.databaseURL, endpointID: setup.endpointID,
                                                       brandID: setup.brandID).dispatcher()
                                // The receiver answers at once, so only a stall of this test process could
                                // make an answer late; with 15 s a busy machine sometimes did, and the
                                // delivery was rightly sent again (at-least-once). Two minutes rule that
                                // out: what remains to see twice is a delivery both dispatchers sent.
                                dispatcher.attemptLimit = .seconds(120)
                                var idle = 0
                                while idle < 3 {
                                    idle = await dispatcher.runRound() == 0 ? idle + 1 : 0
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let counts = await receiver.countsByID()
                let attempts = try await setup.scalar("SELECT count(*)::integer FROM webhook_attempts", as: Int.self)
                #expect(counts.count == 1000)
                #expect(counts.values.allSatisfy { $0 == 1 }, "the receiver got each delivery id exactly once (\(attempts ?? 0) attempts)")
                #expect(try await setup.scalar("SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'", as: Int.self) == 1000)
            }
        }
    }

    @Test("a host that resolves to loopback is refused unless private targets are allowed, and nothing is sent")
    func refusesPrivateTargets() async throws {
        try await WebhookReceiver.run { base, receiver in
            let port = base.split(separator: ":").last!
            try await Self.withEndpoint(url: "http://localhost:\(port)/hooks") { setup in
                try await setup.enqueueTests(1)
                #expect(await setup.dispatcher(allowPrivate: false).runRound() == 1)
                #expect(await receiver.requests.isEmpty)
                let error = try #require(try await setup.scalar("SELECT error FROM webhook_attempts", as: String.self))
                #expect(error.contains("refused") && error.contains("loopback"))
                #expect(try await setup.scalar("SELECT state FROM webhook_deliveries", as: String.self) == "pending")
            }
        }
    }

    @Test("a redirect is not followed: it is a failed attempt, and the other address gets nothing")
    func noRedirects() async throws {
        try await WebhookReceiver.run(answer: { _ in .temporaryRedirect }) { base, receiver in
            try await Self.withEndpoint(url: base + "/hooks") { setup in
                try await setup.enqueueTests(1)
                await setup.dispatcher().runRound()
                let requests = await receiver.requests
                #expect(requests.map(\.path) == ["/hooks"])
                #expect(try await setup.scalar("SELECT status FROM webhook_attempts", as: Int.self) == 307)
                #expect(try await setup.scalar("SELECT state FROM webhook_deliveries", as: String.self) == "pending")
            }
        }
    }

    @Test("an endpoint failing for a day is switched off, logged, e-mailed to owners in their language, and sent nothing more; its deliveries wait")
    func disablesFailingEndpoint() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await WebhookReceiver.run(answer: { _ in .serviceUnavailable }) { base, receiver in
            try await Self.withEndpoint(url: base + "/hooks") { setup in
                try await setup.enqueueTests(2)
                try await setup.client.query("""
                    UPDATE webhook_endpoints SET consecutive_failures = 6, failing_since = now() - interval '25 hours'
                    """, logger: Self.logger)
                let owners = UserStore(database: setup.client, logger: Self.logger)
                for (email, role, language) in [("proprietaire@demo.test", "owner", "fr"), ("editor@demo.test", "editor", "de")] {
                    try await setup.client.query("""
                        INSERT INTO users (brand_id, email, role, language) VALUES (\(setup.brandID), \(email), \(role), \(language))
                        """, logger: Self.logger)
                }
                let mailer = try SMTPClient(configuration: SMTPConfiguration(
                    host: "127.0.0.1", port: sink.port, security: .none, from: "alerts@signet.test"))
                let renderer = try await PageRenderer.load(resourcesDirectory: TestEnvironment.packageRoot)
                let dispatcher = setup.dispatcher(ownerNotice: .init(
                    users: owners, mailer: mailer, renderer: renderer, publicURL: "http://scan.test"))
                await dispatcher.runRound()
                let mails = try sink.messages()
                #expect(mails.map(\.rcpt_tos) == [["proprietaire@demo.test"]], "owners only, once")
                #expect(mails.first?.subject == "[Maison Aurore] Un point de réception webhook a été désactivé")
                #expect(mails.first?.text?.contains("http://scan.test/portal/webhooks/\(setup.endpointID)") == true)
                #expect(mails.first?.text?.contains("\(base)/hooks") == true)
                #expect(await receiver.requests.count == 2)
                #expect(try await setup.scalar(
                    "SELECT enabled::text || ' ' || disabled_reason FROM webhook_endpoints", as: String.self) == "false failing")
                #expect(try await setup.scalar(
                    "SELECT actor_kind FROM audit_events WHERE action = 'webhook.disable'", as: String.self) == "system")
                try await setup.timePasses()
                #expect(await dispatcher.runRound() == 0)
                #expect(await receiver.requests.count == 2)
                #expect(try await setup.scalar("SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'", as: Int.self) == 2)
            }
        }
    }

    @Test("a delivery given up after the whole schedule is sent again on request, with its id and body")
    func givenUpThenRedelivered() async throws {
        try await WebhookReceiver.run(answer: { $0 <= WebhookRetrySchedule.attempts ? .badGateway : .noContent }) { base, receiver in
            try await Self.withEndpoint(url: base + "/hooks") { setup in
                try await setup.enqueueTests(1)
                let dispatcher = setup.dispatcher()
                for _ in 0..<(WebhookRetrySchedule.attempts + 2) {
                    await dispatcher.runRound()
                    try await setup.timePasses()
                }
                #expect(await receiver.requests.count == WebhookRetrySchedule.attempts)
                #expect(try await setup.scalar("SELECT state FROM webhook_deliveries", as: String.self) == "failed")
                let id = try #require(try await setup.scalar("SELECT id FROM webhook_deliveries", as: Int64.self))
                // An attempt under way is left to finish before anyone sends the delivery again.
                try await setup.client.query(
                    "UPDATE webhook_deliveries SET leased_until = now() + interval '1 minute'", logger: Self.logger)
                #expect(try await setup.deliveries.redeliver(brandID: setup.brandID, endpointID: setup.endpointID, id: id, actor: .commandLine) == .inFlight)
                try await setup.client.query("UPDATE webhook_deliveries SET leased_until = NULL", logger: Self.logger)
                #expect(try await setup.deliveries.redeliver(brandID: setup.brandID, endpointID: setup.endpointID, id: id, actor: .commandLine) == .queued)
                #expect(try await setup.deliveries.redeliver(brandID: setup.brandID + 1000, endpointID: setup.endpointID, id: id, actor: .commandLine) == .notFound)
                await dispatcher.runRound()
                let requests = await receiver.requests
                #expect(requests.count == WebhookRetrySchedule.attempts + 1)
                #expect(Set(requests.compactMap(\.id)).count == 1)
                #expect(try await setup.scalar("SELECT state FROM webhook_deliveries", as: String.self) == "delivered")
            }
        }
    }
}
