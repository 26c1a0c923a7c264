/// Decides which address a request really came from.
///
/// Only a peer inside a trusted proxy range may speak for the client through
/// `X-Forwarded-For`; hops are read right to left, skipping the trusted ones,
/// because everything left of the first untrusted hop could be forged by the client.
public struct ClientAddressResolver: Sendable {
    public let trustedProxies: [CIDR]

    public init(trustedProxies: [CIDR]) {
        self.trustedProxies = trustedProxies
    }

    public func isTrusted(_ address: IPAddress) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }

    /// - Parameters:
    ///   - peer: the socket peer, nil when unknown (a Unix socket, a test router).
    ///   - forwardedFor: every `X-Forwarded-For` header value, in order received.
    public func clientAddress(peer: IPAddress?, forwardedFor: [String]) -> IPAddress? {
        guard let peer else { return nil }
        guard isTrusted(peer) else { return peer }
        var client = peer
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
        for hop in hops.reversed() {
            // A hop that is not an address ends the chain: nothing left of it can be believed.
            guard let address = Self.parseHop(hop.trimmingSpaces()) else { return client }
            client = address
            if !isTrusted(address) { return address }
        }
        return client
    }

    /// Accepts `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` and `[2001:db8::1]:443`.
    static func parseHop(_ hop: Substring) -> IPAddress? {
        if hop.hasPrefix("[") {
            guard let close = hop.firstIndex(of: "]") else { return nil }
            return IPAddress(hop[hop.index(after: hop.startIndex)..<close])
        }
        if let address = IPAddress(hop) { return address }
        let parts = hop.split(separator: ":")
        if parts.count == 2, UInt16(parts[1]) != nil { return IPAddress(parts[0]) }
        return nil
    }
}
