import SignetCore
import Testing

@Suite("Outbound address policy")
struct OutboundAddressPolicyTests {
    @Test("public addresses may be reached", arguments: [
        "93.184.215.14", "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.0", "100.63.255.255", "100.128.0.0",
        "169.253.255.255", "169.255.0.0", "192.167.255.255", "192.169.0.0", "11.0.0.0", "9.255.255.255",
        "126.255.255.255", "128.0.0.0", "223.255.255.255", "198.17.255.255", "198.20.0.0", "192.0.1.255",
        "2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4007:80e::200e",
        "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "fbff:ffff::1", "fe7f::1", "2001:db9::1",
    ])
    func publicAddresses(_ text: String) throws {
        let address = try ip(text)
        #expect(OutboundAddressPolicy().permits(address), "\(text)")
        #expect(OutboundAddressPolicy(allowPrivate: true).permits(address), "\(text)")
    }

    @Test("internal addresses are refused unless private networks are allowed", arguments: [
        ("127.0.0.1", "loopback"), ("127.255.255.254", "loopback"), ("::1", "loopback"),
        ("10.0.0.1", "private"), ("10.255.255.255", "private"),
        ("172.16.0.1", "private"), ("172.31.255.255", "private"),
        ("192.168.0.1", "private"), ("192.168.255.255", "private"),
        ("100.64.0.1", "shared address space (CGNAT)"), ("100.127.255.255", "shared address space (CGNAT)"),
        ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("febf:ffff::1", "link-local"),
        ("fc00::1", "unique local"), ("fd12:3456:789a::1", "unique local"),
        ("fec0::1", "site-local (deprecated)"),
        ("192.0.0.170", "IETF protocol assignments"), ("198.18.0.1", "benchmarking"), ("198.19.255.255", "benchmarking"),
        ("192.0.2.1", "documentation"), ("198.51.100.7", "documentation"), ("203.0.113.200", "documentation"),
        ("2001:db8::1", "documentation"),
        // IPv4 carried in IPv6 is judged as the IPv4 address a gateway would reach.
        ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.1.2.3", "private"), ("::ffff:169.254.169.254", "link-local"),
        ("64:ff9b::7f00:1", "loopback"), ("64:ff9b::a9fe:a9fe", "link-local"),
        ("2002:7f00:1::", "loopback"), ("2002:c0a8:101::1", "private"),
    ] as [(String, String)])
    func internalAddresses(_ text: String, _ range: String) throws {
        let address = try ip(text)
        #expect(OutboundAddressPolicy().refusal(for: address)?.name == range, "\(text)")
        #expect(!OutboundAddressPolicy().permits(address))
        #expect(OutboundAddressPolicy(allowPrivate: true).permits(address), "\(text)")
    }

    @Test("addresses where no receiver can be are refused even when private networks are allowed", arguments: [
        ("0.0.0.0", "this network"), ("0.1.2.3", "this network"), ("::", "unspecified"), ("::ffff:0.0.0.0", "this network"),
        ("224.0.0.1", "multicast"), ("239.255.255.255", "multicast"), ("ff02::1", "multicast"), ("ff0e::1", "multicast"),
        ("255.255.255.255", "broadcast"), ("240.0.0.1", "reserved"), ("255.255.255.254", "reserved"),
        ("::ffff:224.0.0.1", "multicast"), ("64:ff9b::e000:1", "multicast"),
    ] as [(String, String)])
    func unreachableAddresses(_ text: String, _ range: String) throws {
        let address = try ip(text)
        for policy in [OutboundAddressPolicy(), OutboundAddressPolicy(allowPrivate: true)] {
            #expect(policy.refusal(for: address)?.name == range, "\(text)")
            #expect(!policy.permits(address))
        }
    }

    @Test("a refusal names its range")
    func describesRange() throws {
        let refusal = try #require(OutboundAddressPolicy().refusal(for: ip("10.1.2.3")))
        #expect(refusal.description == "10.0.0.0/8 (private)")
    }
}
