import Crypto

/// Standard Webhooks symmetric signatures (https://www.standardwebhooks.com):
/// `v1,` + base64 of HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}").
///
/// Signing the id and timestamp with the body lets a receiver refuse a replayed
/// or re-dated delivery. Message ids must not contain `.`, or two different
/// (id, timestamp) pairs could sign the same content; the ids Signet makes never do.
public enum WebhookSignature {
    public static let idHeader = "webhook-id"
    public static let timestampHeader = "webhook-timestamp"
    public static let signatureHeader = "webhook-signature"
    public static let version = "v1"
    /// How far a delivery's timestamp may stray from the receiver's clock, either way.
    public static let defaultTolerance: Duration = .seconds(5 * 60)

    /// The value of the `webhook-signature` header for one secret.
    /// - Parameter timestamp: Unix seconds, as sent in `webhook-timestamp`.
    public static func sign(id: String, timestamp: Int64, body: some Collection<UInt8>, secret: WebhookSecret) -> String {
        version + "," + Base64.encode(authenticationCode(id: id, timestamp: String(timestamp), body: body, secret: secret))
    }

    /// Checks a delivery as a receiver would, from its three header values.
    ///
    /// The signature header may list several space-separated signatures (a
    /// sender rotating its key signs with both); one matching `v1` signature is
    /// enough, and other versions are skipped.
    /// - Parameters:
    ///   - now: the receiver's clock, Unix seconds.
    public static func verify(
        id: String?, timestamp: String?, signatures: String?, body: some Collection<UInt8>,
        secret: WebhookSecret, now: Int64, tolerance: Duration = defaultTolerance
    ) throws(WebhookVerificationError) {
        guard let id, !id.isEmpty else { throw .missingHeader(idHeader) }
        guard let timestamp, !timestamp.isEmpty else { throw .missingHeader(timestampHeader) }
        guard let signatures, !signatures.isEmpty else { throw .missingHeader(signatureHeader) }
        guard timestamp.utf8.count <= 18, timestamp.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let seconds = Int64(timestamp)
        else { throw .invalidTimestamp }
        let allowed = tolerance.components.seconds
        if seconds < now - allowed { throw .timestampTooOld }
        if seconds > now + allowed { throw .timestampInFuture }

        let expected = authenticationCode(id: id, timestamp: timestamp, body: body, secret: secret)
        var matched = false
        for candidate in signatures.split(separator: " ") {
            let parts = candidate.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == version, let given = Base64.decode(parts[1]) else { continue }
            // Every candidate is compared, so the time taken does not tell which one matched.
            if SecretToken.constantTimeEquals(given, expected) { matched = true }
        }
        guard matched else { throw .noMatchingSignature }
    }

    /// The raw HMAC over `{id}.{timestamp}.{body}`; the timestamp is signed as the
    /// exact text sent, so a receiver need not re-format it.
    public static func authenticationCode(
        id: String, timestamp: String, body: some Collection<UInt8>, secret: WebhookSecret
    ) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: secret.keyBytes))
        hmac.update(data: Array(id.utf8))
        hmac.update(data: [UInt8(ascii: ".")])
        hmac.update(data: Array(timestamp.utf8))
        hmac.update(data: [UInt8(ascii: ".")])
        hmac.update(data: Array(body))
        return Array(hmac.finalize())
    }
}

public enum WebhookVerificationError: Error, Equatable, CustomStringConvertible {
    case missingHeader(String)
    case invalidTimestamp
    case timestampTooOld
    case timestampInFuture
    case noMatchingSignature

    public var description: String {
        switch self {
        case .missingHeader(let name): "the \(name) header is missing"
        case .invalidTimestamp: "webhook-timestamp is not a number of seconds"
        case .timestampTooOld: "webhook-timestamp is too old (a replayed delivery?)"
        case .timestampInFuture: "webhook-timestamp is too far in the future"
        case .noMatchingSignature: "no v1 signature matches the body"
        }
    }
}
