import Testing
@testable import SignetCore


@Suite("CIDR")
struct CIDRTests {
    @Test("parsing", arguments: [
        ("10.0.0.0/8", "10.0.0.0", 8),
        ("192.168.1.0/24", "192.168.1.0", 24),
        ("0.0.0.0/0", "0.0.0.0", 0),
        ("203.0.113.7/32", "203.0.113.7", 32),
        ("203.0.113.7", "203.0.113.7", 32), // bare address
        ("fd00::/8", "fd00::", 8),
        ("2001:db8::/32", "2001:db8::", 32),
        ("::/0", "::", 0),
        ("2001:db8::1", "2001:db8::1", 128), // bare address
        ("2001:db8::1/128", "2001:db8::1", 128),
        ("::ffff:10.0.0.0/8", "10.0.0.0", 8), // a mapped network is read as IPv4
        ("::ffff:10.1.2.3", "10.1.2.3", 32),
    ] as [(String, String, Int)])
    func parse(_ text: String, _ network: String, _ prefix: Int) throws {
        let cidr = try #require(CIDR(text))
        #expect(try cidr.network == ip(network))
        #expect(cidr.prefixLength == prefix)
    }

    @Test("rejects bad networks and prefixes", arguments: [
        "", "/8", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/abc", "10.0.0.0/8/8", "10.0.0.0//8",
        "10.0.0.0/", "10.0.0.0/ 8", "10.0.0.0/8 ", "10.0.0.0/+8", "10.0.0.0/-0", "10.0.0/8", "fd00::/129",
        "fd00::/", "::ffff:10.0.0.0/33", "bogus", "bogus/8", "10.0.0.0/99999999999999999999",
    ])
    func rejects(_ text: String) {
        #expect(CIDR(text) == nil)
    }

    @Test("containment at prefix boundaries", arguments: [
        // /0 holds every address of its family, and only of its family.
        ("0.0.0.0/0", "0.0.0.0", true), ("0.0.0.0/0", "255.255.255.255", true), ("0.0.0.0/0", "::1", false),
        ("::/0", "::", true), ("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true), ("::/0", "1.2.3.4", false),
        // /7: 10.0.0.0/7 is 10.0.0.0–11.255.255.255.
        ("10.0.0.0/7", "10.0.0.0", true), ("10.0.0.0/7", "11.255.255.255", true),
        ("10.0.0.0/7", "9.255.255.255", false), ("10.0.0.0/7", "12.0.0.0", false),
        // /8.
        ("10.0.0.0/8", "10.255.255.255", true), ("10.0.0.0/8", "11.0.0.0", false), ("10.0.0.0/8", "9.255.255.255", false),
        // /31 and /32.
        ("192.0.2.4/31", "192.0.2.4", true), ("192.0.2.4/31", "192.0.2.5", true),
        ("192.0.2.4/31", "192.0.2.3", false), ("192.0.2.4/31", "192.0.2.6", false),
        ("192.0.2.4/32", "192.0.2.4", true), ("192.0.2.4/32", "192.0.2.5", false),
        ("192.0.2.4", "192.0.2.4", true), ("192.0.2.4", "192.0.2.5", false),
        // Host bits in the written network are ignored.
        ("10.9.8.7/8", "10.0.0.1", true), ("10.9.8.7/8", "11.9.8.7", false),
        // Prefixes not on a byte boundary.
        ("172.16.0.0/12", "172.31.255.255", true), ("172.16.0.0/12", "172.32.0.0", false), ("172.16.0.0/12", "172.15.255.255", false),
        // IPv6.
        ("fd00::/8", "fd12:3456::1", true), ("fd00::/8", "fc00::1", false), ("fc00::/7", "fd00::1", true), ("fc00::/7", "fe00::", false),
        ("2001:db8::/127", "2001:db8::1", true), ("2001:db8::/127", "2001:db8::2", false),
        ("2001:db8::1/128", "2001:db8::1", true), ("2001:db8::1/128", "2001:db8::", false), ("2001:db8::1", "2001:db8::3", false),
        // Families never mix, except IPv4-mapped addresses which match IPv4 networks.
        ("10.0.0.0/8", "::ffff:10.1.2.3", true), ("10.0.0.0/8", "::ffff:11.1.2.3", false),
        ("10.0.0.0/8", "::10.1.2.3", false), ("10.0.0.0/8", "fd00::a01:203", false),
        ("::ffff:10.0.0.0/8", "10.2.3.4", true), ("::ffff:10.0.0.0/8", "::ffff:10.2.3.4", true),
        ("::/0", "::ffff:10.0.0.1", false),
    ] as [(String, String, Bool)])
    func contains(_ network: String, _ address: String, _ expected: Bool) throws {
        let cidr = try #require(CIDR(network))
        #expect(try cidr.contains(ip(address)) == expected)
    }

    /// Every prefix of an IPv4 /n and IPv6 /n network contains exactly the addresses
    /// that agree on the first n bits, checked with a bit-by-bit reference.
    @Test("containment agrees with a bitwise reference for every prefix length")
    func everyPrefixLength() throws {
        func bit(_ bytes: [UInt8], _ index: Int) -> Bool { bytes[index / 8] & (0x80 >> UInt8(index % 8)) != 0 }
        for (networkText, probes) in [
            ("203.0.113.77", ["203.0.113.76", "203.0.112.77", "202.0.113.77", "75.0.113.77", "203.0.113.77", "203.0.113.78"]),
            ("2001:db8:85a3::8a2e:370:7334", ["2001:db8:85a3::8a2e:370:7335", "2001:db9:85a3::8a2e:370:7334", "a001:db8::", "2001:db8:85a3::"]),
        ] {
            let network = try ip(networkText)
            for length in 0...(network.bytes.count * 8) {
                let cidr = try #require(CIDR("\(networkText)/\(length)"))
                for probeText in probes {
                    let probe = try ip(probeText)
                    let expected = (0..<length).allSatisfy { bit(probe.bytes, $0) == bit(network.bytes, $0) }
                    #expect(cidr.contains(probe) == expected, "\(cidr) ∋ \(probe)")
                }
            }
        }
    }

    @Test("description round trip", arguments: [
        ("10.0.0.0/8", "10.0.0.0/8"), ("192.168.1.1", "192.168.1.1/32"), ("fd00::/8", "fd00::/8"),
        ("2001:0db8::0001", "2001:db8::1/128"), ("::ffff:10.0.0.0/8", "10.0.0.0/8"), ("0.0.0.0/0", "0.0.0.0/0"),
    ] as [(String, String)])
    func description(_ text: String, _ expected: String) throws {
        let cidr = try #require(CIDR(text))
        #expect(cidr.description == expected)
        #expect(CIDR(cidr.description) == cidr)
    }

    @Test("parseList accepts commas and spaces")
    func parseList() throws {
        let list = try CIDR.parseList("10.0.0.0/8, 192.168.0.0/16 fd00::/8,,127.0.0.1  ").get()
        #expect(list.map(\.description) == ["10.0.0.0/8", "192.168.0.0/16", "fd00::/8", "127.0.0.1/32"])
        #expect(try CIDR.parseList("").get().isEmpty)
        #expect(try CIDR.parseList(" , ").get().isEmpty)
    }

    @Test("parseList names the first bad entry")
    func parseListFailure() {
        #expect(CIDR.parseList("10.0.0.0/8,10.0.0.0/33,bogus") == .failure(CIDRListError(entry: "10.0.0.0/33")))
        #expect(CIDR.parseList("bogus 10.0.0.0/8") == .failure(CIDRListError(entry: "bogus")))
        #expect(CIDRListError(entry: "x/1").description == "not an IP network: x/1")
    }
}
