import Logging
import PostgresNIO
import SignetCore
import Synchronization

/// The key of `VisitorFingerprint`, read from `signet_secrets` when the server
/// starts, so every instance fingerprints a visitor the same way.
final class VisitorKey: Sendable {
    private let key = Mutex<[UInt8]>([])

    func load(from database: PostgresClient, logger: Logger) async throws {
        let rows = try await database.query("SELECT secret FROM signet_secrets WHERE name = 'visitor'", logger: logger).collect()
        guard let secret = try rows.first?.decode(ByteBuffer.self) else { throw VisitorKeyError.missing }
        key.withLock { $0 = Array(secret.readableBytesView) }
    }

    /// The shared secret itself, for other keyed hashes every instance must agree on.
    var secret: [UInt8] { key.withLock { $0 } }

    func fingerprint(address: IPAddress?, userAgent: String?, now: Double) -> [UInt8] {
        let day = String(Int(now / 86_400))
        return VisitorFingerprint.make(key: key.withLock { $0 }, address: address, userAgent: userAgent, day: day)
    }
}

enum VisitorKeyError: Error, CustomStringConvertible {
    case missing
    var description: String { "signet_secrets has no 'visitor' key; run `signet migrate`" }
}
