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
/// override keeps TLS verifying the host name), so the name cannot resolve
/// elsewhere between the check and the connection. Redirects are not
/// followed: a 3xx is a failed attempt. A round keeps one client per host, so
/// several deliveries to one receiver share its connections.
actor WebhookSender {
    static let timeout: TimeAmount = .seconds(10)
    static let responseHeadBytes = 1024
    static let userAgent = "Signet-Webhooks/1"

    private let policy: OutboundAddressPolicy
    private var clients: [String: HTTPClient] = [:]
    private var refusals: [String: String] = [:]

    init(policy: OutboundAddressPolicy) {
        self.policy = policy
    }

    func send(url text: String, headers: [(String, String)], body: [UInt8]) async -> WebhookDeliveryStore.Outcome {
        let started = ContinuousClock.now
        func failure(_ message: String) -> WebhookDeliveryStore.Outcome {
            .init(status: nil, error: message, latency: ContinuousClock.now - started, responseHead: nil)
        }
        guard let url = URL(string: text), let rawHost = url.host, !rawHost.isEmpty else { return failure("not a URL") }
        let host = rawHost.hasPrefix("[") ? String(rawHost.dropFirst().dropLast()) : rawHost
        let client: HTTPClient
        switch await self.client(for: host.lowercased()) {
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
            let response = try await client.execute(request, timeout: Self.timeout)
            var head: [UInt8] = []
            for try await chunk in response.body {
                head += chunk.readableBytesView.prefix(Self.responseHeadBytes - head.count)
                if head.count >= Self.responseHeadBytes { break }
            }
            return .init(
                status: Int(response.status.code), error: nil, latency: ContinuousClock.now - started,
                responseHead: head.isEmpty ? nil : Self.text(head))
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            return failure("no answer within \(Self.timeout.nanoseconds / 1_000_000_000) s")
        } catch {
            return failure(String(describing: error))
        }
    }

    /// Closes the round's connections.
    func shutdown() async {
        for client in clients.values { try? await client.shutdown() }
        clients = [:]
    }

    private struct Refusal: Error {
        var message: String
    }

    private func client(for host: String) async -> Result<HTTPClient, Refusal> {
        if let client = clients[host] { return .success(client) }
        if let refusal = refusals[host] { return .failure(Refusal(message: refusal)) }
        let addresses: [IPAddress]
        do {
            addresses = try await HostResolver.addresses(of: host)
        } catch {
            return .failure(Refusal(message: String(describing: error)))
        }
        if addresses.isEmpty { return .failure(Refusal(message: "\(host) has no address")) }
        for address in addresses {
            if let range = policy.refusal(for: address) {
                let message = "refused: \(host) resolves to \(address), in \(range)"
                refusals[host] = message
                return .failure(Refusal(message: message))
            }
        }
        if let existing = clients[host] { return .success(existing) }
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)))
        configuration.dnsOverride = [host: addresses[0].description]
        configuration.connectionPool = .init(idleTimeout: .seconds(30))
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
}
