import Testing
import SignetCore

@Suite("Seal token")
struct SealTokenTests {
    static let key = Array("signet-test-key-0123456789abcdef".utf8)
    static let gtin = GTIN("4006381333931")!

    /// Expected values computed outside Swift, for example:
    ///
    ///     echo -n "04006381333931:SN-0001" \
    ///       | openssl dgst -sha256 -hmac "signet-test-key-0123456789abcdef" -binary \
    ///       | head -c 12 | openssl base64 | tr '+/' '-_' | tr -d '='
    ///
    /// and cross-checked with Python's `hmac.new(key, msg, hashlib.sha256).digest()[:12]`
    /// encoded with `base64.urlsafe_b64encode(...).rstrip(b"=")`.
    @Test("known vectors", arguments: [
        (Array("signet-test-key-0123456789abcdef".utf8), "4006381333931", "SN-0001", "RzhUE9N8lXluMPL_"),
        (Array(UInt8(0)..<32), "00614141000418", "A1b2C3", "z9vgqgVjNf1dsZkv"),
        ([], "04006381333931", "x", "t3YUqWxwlMQ_gwDq"),
    ] as [([UInt8], String, String, String)])
    func knownVectors(_ key: [UInt8], _ gtin: String, _ serial: String, _ expected: String) throws {
        let gtin = try #require(GTIN(gtin))
        #expect(SealToken.make(gtin: gtin, serial: serial, key: key) == expected)
    }

    @Test("16 URL-safe characters: 12 bytes of base64url without padding")
    func shape() {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for serial in ["1", "SN-0001", "!\"%&'()*+,-./:;<=>?_", String(repeating: "Z", count: 20)] {
            let token = SealToken.make(gtin: Self.gtin, serial: serial, key: Self.key)
            #expect(token.count == 16)
            #expect(token.allSatisfy(alphabet.contains), "\(token)")
        }
        #expect(SealToken.byteCount * 4 / 3 == 16)
    }

    @Test("deterministic")
    func deterministic() {
        let first = SealToken.make(gtin: Self.gtin, serial: "S1", key: Self.key)
        let second = SealToken.make(gtin: Self.gtin, serial: "S1", key: Self.key)
        #expect(first == second)
    }

    @Test("depends on key, serial and GTIN")
    func sensitivity() throws {
        let base = SealToken.make(gtin: Self.gtin, serial: "S1", key: Self.key)
        var otherKey = Self.key
        otherKey[0] ^= 1
        #expect(SealToken.make(gtin: Self.gtin, serial: "S1", key: otherKey) != base)
        #expect(SealToken.make(gtin: Self.gtin, serial: "S2", key: Self.key) != base)
        #expect(SealToken.make(gtin: Self.gtin, serial: "s1", key: Self.key) != base)
        #expect(SealToken.make(gtin: try #require(GTIN("5901234123457")), serial: "S1", key: Self.key) != base)
    }

    @Test("a short and a 14-digit GTIN sign the same")
    func normalisedGTIN() throws {
        let short = try #require(GTIN("96385074"))
        let long = try #require(GTIN("00000096385074"))
        #expect(SealToken.make(gtin: short, serial: "S", key: Self.key) == SealToken.make(gtin: long, serial: "S", key: Self.key))
    }
}
