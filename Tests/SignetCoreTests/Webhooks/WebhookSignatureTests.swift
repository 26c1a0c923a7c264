import Crypto
import Foundation
import SignetCore
import Testing

@Suite("Standard Webhooks signatures")
struct WebhookSignatureTests {
    // The specification's reference vector (the `sign` test of every official library).
    static let vectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let vectorID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let vectorTimestamp: Int64 = 1_614_265_330
    static let vectorBody = Array(#"{"test": 2432232314}"#.utf8)
    static let vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    /// The recipe as the specification words it, written apart from the code under test.
    static func independentSignature(id: String, timestamp: String, body: [UInt8], base64Key: String) -> String {
        let key = SymmetricKey(data: Data(base64Encoded: base64Key)!)
        let content = Data("\(id).\(timestamp).".utf8) + Data(body)
        return "v1," + Data(HMAC<SHA256>.authenticationCode(for: content, using: key)).base64EncodedString()
    }

    @Test("signs the specification's test vector")
    func vector() throws {
        let secret = try WebhookSecret(parsing: Self.vectorSecret)
        let signature = WebhookSignature.sign(id: Self.vectorID, timestamp: Self.vectorTimestamp, body: Self.vectorBody, secret: secret)
        #expect(signature == Self.vectorSignature)
        #expect(Self.independentSignature(
            id: Self.vectorID, timestamp: String(Self.vectorTimestamp), body: Self.vectorBody,
            base64Key: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == Self.vectorSignature)
    }

    @Test("verifies the specification's test vector at its own time")
    func verifiesVector() throws {
        let secret = try WebhookSecret(parsing: Self.vectorSecret)
        try WebhookSignature.verify(
            id: Self.vectorID, timestamp: String(Self.vectorTimestamp), signatures: Self.vectorSignature,
            body: Self.vectorBody, secret: secret, now: Self.vectorTimestamp)
    }

    @Test("agrees with the independent recipe on random secrets and bodies")
    func agreesWithRecipe() throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<50 {
            let secret = WebhookSecret.generate(byteCount: 24 + round % 41)
            let body = (0..<(round * 13)).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let id = "msg_\(round)", timestamp = Int64(1_700_000_000 + round)
            let ours = WebhookSignature.sign(id: id, timestamp: timestamp, body: body, secret: secret)
            let theirs = Self.independentSignature(
                id: id, timestamp: String(timestamp), body: body, base64Key: Data(secret.keyBytes).base64EncodedString())
            #expect(ours == theirs)
            try WebhookSignature.verify(id: id, timestamp: String(timestamp), signatures: theirs, body: body, secret: secret, now: timestamp)
        }
    }

    @Test("a tampered body, id or timestamp, or another key, is refused")
    func tampered() throws {
        let secret = try WebhookSecret(parsing: Self.vectorSecret)
        let id = Self.vectorID, body = Self.vectorBody, signature = Self.vectorSignature
        let now = Self.vectorTimestamp, timestamp = String(now)
        #expect(throws: WebhookVerificationError.noMatchingSignature) {
            try WebhookSignature.verify(id: id, timestamp: timestamp, signatures: signature,
                                        body: Array(#"{"test": 2432232315}"#.utf8), secret: secret, now: now)
        }
        #expect(throws: WebhookVerificationError.noMatchingSignature) {
            try WebhookSignature.verify(id: id + "x", timestamp: timestamp, signatures: signature, body: body, secret: secret, now: now)
        }
        #expect(throws: WebhookVerificationError.noMatchingSignature) {
            try WebhookSignature.verify(id: id, timestamp: String(now + 1), signatures: signature, body: body, secret: secret, now: now)
        }
        #expect(throws: WebhookVerificationError.noMatchingSignature) {
            try WebhookSignature.verify(id: id, timestamp: timestamp, signatures: signature, body: body, secret: .generate(), now: now)
        }
        // The last byte of the MAC changed: same length, one bit off.
        #expect(throws: WebhookVerificationError.noMatchingSignature) {
            try WebhookSignature.verify(id: id, timestamp: timestamp, signatures: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=",
                                        body: body, secret: secret, now: now)
        }
    }

    @Test("timestamps outside five minutes either way are refused, the edges are accepted")
    func tolerance() throws {
        let secret = WebhookSecret.generate()
        let now: Int64 = 1_800_000_000
        func check(_ timestamp: Int64) throws {
            let signature = WebhookSignature.sign(id: "msg_1", timestamp: timestamp, body: [1, 2, 3], secret: secret)
            try WebhookSignature.verify(id: "msg_1", timestamp: String(timestamp), signatures: signature,
                                        body: [1, 2, 3], secret: secret, now: now)
        }
        try check(now - 300)
        try check(now + 300)
        #expect(throws: WebhookVerificationError.timestampTooOld) { try check(now - 301) }
        #expect(throws: WebhookVerificationError.timestampInFuture) { try check(now + 301) }
        let signature = WebhookSignature.sign(id: "msg_1", timestamp: now - 3_600, body: [], secret: secret)
        try WebhookSignature.verify(id: "msg_1", timestamp: String(now - 3_600), signatures: signature,
                                    body: [], secret: secret, now: now, tolerance: .seconds(3_600))
    }

    @Test("one matching v1 signature among several is enough; other versions are skipped")
    func severalSignatures() throws {
        let secret = try WebhookSecret(parsing: Self.vectorSecret)
        let now = Self.vectorTimestamp
        let list = [
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==",
            "v1,not-base64!",
            Self.vectorSignature,
        ].joined(separator: " ")
        try WebhookSignature.verify(id: Self.vectorID, timestamp: String(now), signatures: list,
                                    body: Self.vectorBody, secret: secret, now: now)
        // The right MAC under another version tag does not count.
        #expect(throws: WebhookVerificationError.noMatchingSignature) {
            try WebhookSignature.verify(id: Self.vectorID, timestamp: String(now),
                                        signatures: "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                                        body: Self.vectorBody, secret: secret, now: now)
        }
    }

    @Test("missing headers and malformed timestamps are named")
    func malformed() throws {
        let secret = WebhookSecret.generate()
        let signature = WebhookSignature.sign(id: "msg_1", timestamp: 100, body: [], secret: secret)
        #expect(throws: WebhookVerificationError.missingHeader("webhook-id")) {
            try WebhookSignature.verify(id: nil, timestamp: "100", signatures: signature, body: [], secret: secret, now: 100)
        }
        #expect(throws: WebhookVerificationError.missingHeader("webhook-timestamp")) {
            try WebhookSignature.verify(id: "msg_1", timestamp: "", signatures: signature, body: [], secret: secret, now: 100)
        }
        #expect(throws: WebhookVerificationError.missingHeader("webhook-signature")) {
            try WebhookSignature.verify(id: "msg_1", timestamp: "100", signatures: nil, body: [], secret: secret, now: 100)
        }
        for bad in ["hello", "-100", "+100", "1e3", " 100", "100.0", "99999999999999999999"] {
            #expect(throws: WebhookVerificationError.invalidTimestamp) {
                try WebhookSignature.verify(id: "msg_1", timestamp: bad, signatures: signature, body: [], secret: secret, now: 100)
            }
        }
    }
}
