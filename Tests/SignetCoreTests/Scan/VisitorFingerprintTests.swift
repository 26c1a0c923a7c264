import SignetCore
import Testing

@Suite("Visitor fingerprint")
struct VisitorFingerprintTests {
    let key = [UInt8](repeating: 7, count: 32)
    let address = IPAddress("192.0.2.1")

    @Test("same visitor, same day: same 16 bytes")
    func stable() {
        let first = VisitorFingerprint.make(key: key, address: address, userAgent: "A", day: "20000")
        #expect(first.count == 16)
        #expect(first == VisitorFingerprint.make(key: key, address: address, userAgent: "A", day: "20000"))
    }

    @Test("address, user agent, day and key each change it")
    func eachInputMatters() {
        let base = VisitorFingerprint.make(key: key, address: address, userAgent: "A", day: "20000")
        #expect(base != VisitorFingerprint.make(key: key, address: IPAddress("192.0.2.2"), userAgent: "A", day: "20000"))
        #expect(base != VisitorFingerprint.make(key: key, address: address, userAgent: "B", day: "20000"))
        #expect(base != VisitorFingerprint.make(key: key, address: address, userAgent: "A", day: "20001"))
        #expect(base != VisitorFingerprint.make(key: [UInt8](repeating: 8, count: 32), address: address, userAgent: "A", day: "20000"))
    }

    @Test("an IPv4-mapped IPv6 address is the same visitor as its IPv4 form")
    func mappedAddress() {
        #expect(VisitorFingerprint.make(key: key, address: IPAddress("::ffff:192.0.2.1"), userAgent: "A", day: "1")
            == VisitorFingerprint.make(key: key, address: address, userAgent: "A", day: "1"))
    }

    @Test("fields cannot be shifted into each other")
    func separated() {
        #expect(VisitorFingerprint.make(key: key, address: nil, userAgent: "ab", day: "1")
            != VisitorFingerprint.make(key: key, address: nil, userAgent: "a", day: "b1"))
    }
}
