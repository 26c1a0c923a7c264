import Testing
import SignetCore

@Suite("IP address")
struct IPAddressTests {
    @Test("IPv4 parsing", arguments: [
        ("0.0.0.0", [0, 0, 0, 0]),
        ("10.1.2.3", [10, 1, 2, 3]),
        ("255.255.255.255", [255, 255, 255, 255]),
        ("192.168.0.1", [192, 168, 0, 1]),
    ] as [(String, [UInt8])])
    func ipv4(_ text: String, _ bytes: [UInt8]) throws {
        let address = try #require(IPAddress(text))
        #expect(address.bytes == bytes)
        #expect(address.isIPv4)
        #expect(address.description == text)
    }

    @Test("IPv6 parsing and canonical description", arguments: [
        ("::1", "::1", [UInt8](repeating: 0, count: 15) + [1]),
        ("::", "::", [UInt8](repeating: 0, count: 16)),
        ("2001:db8::1", "2001:db8::1", [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1", [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]),
        ("fd00::", "fd00::", [0xfd] + [UInt8](repeating: 0, count: 15)),
        ("::ffff:10.0.0.1", "::ffff:10.0.0.1", [UInt8](repeating: 0, count: 10) + [0xff, 0xff, 10, 0, 0, 1]),
    ] as [(String, String, [UInt8])])
    func ipv6(_ text: String, _ canonical: String, _ bytes: [UInt8]) throws {
        let address = try #require(IPAddress(text))
        #expect(address.bytes == bytes)
        #expect(!address.isIPv4)
        #expect(address.description == canonical)
        #expect(IPAddress(address.description) == address)
    }

    @Test("rejects what is not a bare address", arguments: [
        "", " ", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4:80", "1.2.3.4/8",
        "a.b.c.d", "::g", "1:2:3:4:5:6:7:8:9", "[::1]", "fe80::1%eth0", "2001:db8:::1", "localhost",
        String(repeating: "0", count: 46),
    ])
    func rejects(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("byte initialiser accepts only 4 or 16 bytes")
    func bytes() {
        #expect(IPAddress(bytes: [127, 0, 0, 1])?.description == "127.0.0.1")
        #expect(IPAddress(bytes: [UInt8](repeating: 0, count: 15) + [1])?.description == "::1")
        for count in [0, 1, 3, 5, 8, 15, 17] {
            #expect(IPAddress(bytes: [UInt8](repeating: 1, count: count)) == nil)
        }
    }

    @Test("IPv4-mapped IPv6 unmaps to IPv4; others stay as they are")
    func unmapping() throws {
        let mapped = try #require(IPAddress("::ffff:192.0.2.7"))
        #expect(mapped.unmappingIPv4 == IPAddress("192.0.2.7"))
        #expect(mapped.unmappingIPv4.isIPv4)
        // IPv4-compatible (no ffff) and NAT64 addresses are not mapped addresses.
        let compatible = try #require(IPAddress("::192.0.2.7"))
        #expect(compatible.unmappingIPv4 == compatible)
        let nat64 = try #require(IPAddress("64:ff9b::192.0.2.7"))
        #expect(nat64.unmappingIPv4 == nat64)
        let ipv4 = try #require(IPAddress("192.0.2.7"))
        #expect(ipv4.unmappingIPv4 == ipv4)
        #expect(mapped != ipv4)
    }
}
