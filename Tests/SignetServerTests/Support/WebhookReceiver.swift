import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A real HTTP server on loopback that records each webhook request and
/// answers what the test's plan says for the nth request.
actor WebhookReceiver {
    struct Received: Sendable {
        var path: String
        var id: String?
        var timestamp: String?
        var signature: String?
        var contentType: String?
        var body: [UInt8]

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:] }
    }

    private(set) var requests: [Received] = []

    func add(_ received: Received) -> Int {
        requests.append(received)
        return requests.count
    }

    /// Requests per webhook-id.
    func countsByID() -> [String: Int] {
        requests.reduce(into: [:]) { $0[$1.id ?? "", default: 0] += 1 }
    }

    /// Waits until `count` requests have come (or 30 s have passed).
    func waitFor(_ count: Int) async throws -> [Received] {
        // The stream's horizon waits for the slowest write transaction of the whole suite's cluster.
        let deadline = ContinuousClock.now + .seconds(90)
        while requests.count < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return requests
    }

    /// Runs `body` with the receiver listening; `answer` gets the request's number, from 1.
    /// Each request is recorded on arrival and answered `delay` later (a slow receiver).
    static func run<T: Sendable>(
        answer: @escaping @Sendable (Int) -> HTTPResponse.Status = { _ in .ok },
        delay: Duration = .zero,
        _ body: @Sendable (_ baseURL: String, WebhookReceiver) async throws -> T
    ) async throws -> T {
        let receiver = WebhookReceiver()
        let router = Router()
        router.post("**") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let number = await receiver.add(Received(
                path: request.uri.path,
                id: request.headers[HTTPField.Name("webhook-id")!],
                timestamp: request.headers[HTTPField.Name("webhook-timestamp")!],
                signature: request.headers[HTTPField.Name("webhook-signature")!],
                contentType: request.headers[.contentType],
                body: Array(bytes.readableBytesView)))
            if delay > .zero { try await Task.sleep(for: delay) }
            let status = answer(number)
            var headers: HTTPFields = [:]
            if (300..<400).contains(status.code) { headers[.location] = "/elsewhere" }
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "answer \(number)")))
        }
        let port = Mutex<Int?>(nil)
        var logger = Logger(label: "webhook-receiver")
        // Cancelling the receiver at the end of a test is its normal way to stop.
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            var listening: Int?
            while listening == nil {
                try await Task.sleep(for: .milliseconds(10))
                listening = port.withLock { $0 }
            }
            defer { group.cancelAll() }
            return try await body("http://127.0.0.1:\(listening!)", receiver)
        }
    }
}
