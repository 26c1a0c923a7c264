import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SignetCore

/// Sends webhook requests for one round of the dispatcher.
///
/// Each host is resolved once per round and every address it resolves to is
/// checked against `OutboundAddressPolicy`; one refused address refuses the
/// host. The connection is then pinned to a checked address (the client's DNS
/// override, keyed by the host exactly as the URL spells it, which is how the
/// client looks it up; TLS still verifies the host name), so the name cannot
/// resolve elsewhere between the check and the connection. Redirects are not
/// followed: a 3xx is a failed attempt. A round keeps one client per host, so
/// several deliveries to one receiver share its connections. An attempt,
/// resolution and answer included, ends within `attemptLimit` (15 s unless
/// told otherwise), however slowly the receiver trickles its answer.
actor WebhookSender {
    static let connectTimeout: TimeAmount = .seconds(5)
    static let resolutionTimeout: Duration = .seconds(5)
    /// The whole attempt: resolving, connecting, sending, reading the answer's head.
    static let defaultAttemptLimit: Duration = .seconds(15)
    static let responseHeadBytes = 1024
    static let userAgent = "Signet-Webhooks/1"

    private let policy: OutboundAddressPolicy
    /// How long one attempt may take in all; an answer later than that counts as none.
    let attemptLimit: Duration
    private var clients: [String: HTTPClient] = [:]
    private var refusals: [String: String] = [:]

    init(policy: OutboundAddressPolicy, attemptLimit: Duration = WebhookSender.defaultAttemptLimit) {
        self.policy = policy
        self.attemptLimit = attemptLimit
    }

    func send(url text: String, headers: [(String, String)], body: [UInt8]) async -> WebhookDeliveryStore.Outcome {
        let started = ContinuousClock.now
        do {
            let limit = attemptLimit
            return try await withThrowingTaskGroup(of: WebhookDeliveryStore.Outcome.self) { group in
                group.addTask { await self.attempt(url: text, headers: headers, body: body, started: started) }
                group.addTask {
                    try await Task.sleep(for: limit)
                    return .init(
                        status: nil, error: "no complete answer within \(limit.components.seconds) s",
                        latency: ContinuousClock.now - started, responseHead: nil)
                }
                let first = try await group.next()!
                group.cancelAll()
                return first
            }
        } catch {
            return .init(status: nil, error: Self.printable(String(describing: error)), latency: ContinuousClock.now - started, responseHead: nil)
        }
    }

    /// Closes the round's connections.
    func shutdown() async {
        for client in clients.values { try? await client.shutdown() }
        clients = [:]
    }

    private func attempt(
        url text: String, headers: [(String, String)], body: [UInt8], started: ContinuousClock.Instant
    ) async -> WebhookDeliveryStore.Outcome {
        func failure(_ message: String) -> WebhookDeliveryStore.Outcome {
            .init(status: nil, error: Self.printable(message), latency: ContinuousClock.now - started, responseHead: nil)
        }
        guard let url = URL(string: text), let rawHost = url.host, !rawHost.isEmpty else { return failure("not a URL") }
        let client: HTTPClient
        switch await self.client(for: rawHost) {
        case .success(let found): client = found
        case .failure(let refusal): return failure(refusal.message)
        }
        var request = HTTPClientRequest(url: text)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: Self.userAgent)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(attemptLimit.components.seconds))
            var head: [UInt8] = []
            for try await chunk in response.body {
                head += chunk.readableBytesView.prefix(Self.responseHeadBytes - head.count)
                if head.count >= Self.responseHeadBytes { break }
            }
            return .init(
                status: Int(response.status.code), error: nil, latency: ContinuousClock.now - started,
                responseHead: head.isEmpty ? nil : Self.printable(Self.text(head)))
        } catch {
            return failure(String(describing: error))
        }
    }

    private struct Refusal: Error {
        var message: String
    }

    /// - Parameter host: as the URL spells it (the client's DNS override is keyed by that spelling).
    private func client(for host: String) async -> Result<HTTPClient, Refusal> {
        if let client = clients[host] { return .success(client) }
        if let refusal = refusals[host] { return .failure(Refusal(message: refusal)) }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        // getaddrinfo cannot be cancelled: a resolver that does not answer is left behind.
        let unresolved = Refusal(message: "\(bare) did not resolve within \(Self.resolutionTimeout.components.seconds) s")
        let resolved = await awaitAtMost(Self.resolutionTimeout, otherwise: .failure(unresolved)) { () -> Result<[IPAddress], Refusal> in
            do { return .success(try await HostResolver.addresses(of: bare)) } catch {
                return .failure(Refusal(message: String(describing: error)))
            }
        }
        let addresses: [IPAddress]
        switch resolved {
        case .success(let found): addresses = found
        case .failure(let refusal): return .failure(refusal)
        }
        if addresses.isEmpty { return .failure(Refusal(message: "\(bare) has no address")) }
        for address in addresses {
            if let range = policy.refusal(for: address) {
                let message = "refused: \(bare) resolves to \(address), in \(range)"
                refusals[host] = message
                return .failure(Refusal(message: message))
            }
        }
        if let existing = clients[host] { return .success(existing) }
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.connectTimeout, read: .seconds(attemptLimit.components.seconds)))
        // An IP literal is connected to as written; a name, only at the address just checked.
        if IPAddress(bare) == nil { configuration.dnsOverride = [host: addresses[0].description] }
        // As many connections as a round sends at once, so no attempt's time goes in the client's queue.
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        clients[host] = client
        return .success(client)
    }

    /// The answer's first bytes as text; a character cut in half is dropped.
    private static func text(_ bytes: [UInt8]) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        while text.hasSuffix("\u{FFFD}") { text.removeLast() }
        return text
    }

    /// Without NUL and other control characters but line breaks and tabs,
    /// which a PostgreSQL text column or a log line should not carry.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { scalar in
            scalar == "\n" || scalar == "\t" || !(scalar.value < 0x20 || scalar.value == 0x7F)
        }))
    }
}
