import Testing
@testable import SignetCore


@Suite("Client address resolution")
struct ClientAddressResolverTests {
    static let resolver = ClientAddressResolver(trustedProxies: ["10.0.0.0/8", "fd00::/8", "192.0.2.1"].map { CIDR($0)! })

    private func resolve(_ peer: String?, _ forwardedFor: [String]) throws -> String? {
        try Self.resolver.clientAddress(peer: peer.map(ip), forwardedFor: forwardedFor)?.description
    }

    @Test("an untrusted peer is the client, whatever it forwards")
    func untrustedPeer() throws {
        #expect(try resolve("203.0.113.9", []) == "203.0.113.9")
        #expect(try resolve("203.0.113.9", ["198.51.100.1"]) == "203.0.113.9")
        #expect(try resolve("203.0.113.9", ["10.0.0.5, 198.51.100.1"]) == "203.0.113.9")
        #expect(try resolve("2001:db8::9", ["198.51.100.1"]) == "2001:db8::9")
    }

    @Test("a trusted peer without a header is the client")
    func trustedPeerNoHeader() throws {
        #expect(try resolve("10.0.0.1", []) == "10.0.0.1")
        #expect(try resolve("10.0.0.1", [""]) == "10.0.0.1")
    }

    @Test("a trusted peer yields the rightmost untrusted hop")
    func rightmostUntrusted() throws {
        #expect(try resolve("10.0.0.1", ["198.51.100.1"]) == "198.51.100.1")
        // The forged left part is never believed.
        #expect(try resolve("10.0.0.1", ["1.1.1.1, 198.51.100.1"]) == "198.51.100.1")
        #expect(try resolve("192.0.2.1", ["6.6.6.6,198.51.100.1"]) == "198.51.100.1")
    }

    @Test("several trusted hops are skipped")
    func trustedHopsSkipped() throws {
        #expect(try resolve("10.0.0.1", ["1.1.1.1, 198.51.100.1, 10.0.0.7, 192.0.2.1"]) == "198.51.100.1")
        #expect(try resolve("fd00::1", ["2001:db8::5, fd00::2, 10.1.1.1"]) == "2001:db8::5")
    }

    @Test("multiple header lines are one list, in order")
    func multipleLines() throws {
        #expect(try resolve("10.0.0.1", ["1.1.1.1", "198.51.100.1, 10.0.0.2"]) == "198.51.100.1")
        #expect(try resolve("10.0.0.1", ["198.51.100.1, 10.0.0.2", "10.0.0.3"]) == "198.51.100.1")
        #expect(try resolve("10.0.0.1", ["198.51.100.1", "203.0.113.4"]) == "203.0.113.4")
    }

    @Test("hops with ports and bracketed IPv6")
    func portsAndBrackets() throws {
        #expect(try resolve("10.0.0.1", ["198.51.100.1:5678"]) == "198.51.100.1")
        #expect(try resolve("10.0.0.1", ["[2001:db8::1]:443"]) == "2001:db8::1")
        #expect(try resolve("10.0.0.1", ["[2001:db8::1]"]) == "2001:db8::1")
        #expect(try resolve("10.0.0.1", ["2001:db8::1"]) == "2001:db8::1")
        #expect(try resolve("10.0.0.1", ["198.51.100.1, 10.0.0.9:80"]) == "198.51.100.1")
        #expect(try resolve("10.0.0.1", ["198.51.100.1, [fd00::9]:8080"]) == "198.51.100.1")
    }

    @Test("a garbage hop ends the walk", arguments: ["unknown", "1.2.3.4:99999", "1.2.3.4:80:90", "[2001:db8::1", "_hidden", "1.2.3"])
    func garbage(_ hop: String) throws {
        // Nothing left of the garbage is believed; the walk stops at the last good hop.
        #expect(try resolve("10.0.0.1", ["198.51.100.1, \(hop)"]) == "10.0.0.1")
        #expect(try resolve("10.0.0.1", ["198.51.100.1, \(hop), 10.0.0.2"]) == "10.0.0.2")
        // Right of the garbage, an untrusted hop is found first.
        #expect(try resolve("10.0.0.1", ["\(hop), 198.51.100.1"]) == "198.51.100.1")
    }

    @Test("when every hop is trusted the leftmost one is the client")
    func allTrusted() throws {
        #expect(try resolve("10.0.0.1", ["10.0.0.4, 10.0.0.3, 10.0.0.2"]) == "10.0.0.4")
        #expect(try resolve("10.0.0.1", ["fd00::4", "192.0.2.1"]) == "fd00::4")
    }

    @Test("an unknown peer gives no client, even with a header")
    func nilPeer() throws {
        #expect(try resolve(nil, []) == nil)
        #expect(try resolve(nil, ["198.51.100.1"]) == nil)
    }

    @Test("an IPv4-mapped peer matches IPv4 proxy ranges")
    func mappedPeer() throws {
        #expect(try resolve("::ffff:10.0.0.1", ["198.51.100.1"]) == "198.51.100.1")
        #expect(try resolve("::ffff:203.0.113.9", ["198.51.100.1"]) == "::ffff:203.0.113.9")
    }

    @Test("no trusted proxies means the peer is always the client")
    func noTrust() throws {
        let resolver = ClientAddressResolver(trustedProxies: [])
        #expect(try resolver.clientAddress(peer: ip("10.0.0.1"), forwardedFor: ["198.51.100.1"]) == ip("10.0.0.1"))
        #expect(try !resolver.isTrusted(ip("10.0.0.1")))
        #expect(try Self.resolver.isTrusted(ip("10.200.0.1")))
        #expect(try Self.resolver.isTrusted(ip("192.0.2.1")))
        #expect(try !Self.resolver.isTrusted(ip("192.0.2.2")))
    }

    @Test("hop syntax", arguments: [
        ("1.2.3.4", "1.2.3.4"), ("1.2.3.4:5678", "1.2.3.4"), ("1.2.3.4:0", "1.2.3.4"), ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"), ("[::1]", "::1"),
    ] as [(String, String)])
    func hopSyntax(_ hop: String, _ expected: String) throws {
        #expect(try ClientAddressResolver.parseHop(Substring(hop)) == ip(expected))
    }

    @Test("bad hops", arguments: ["", "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:x", "[::1", "[]:80", "[1.2.3.4.5]", "host:80", ":80"])
    func badHop(_ hop: String) throws {
        #expect(ClientAddressResolver.parseHop(Substring(hop)) == nil)
    }
}
