import Crypto
import Foundation

/// Seals small secrets (TOTP seeds) with AES-256-GCM under the operator's
/// `SIGNET_SECRET_KEY`, which lives outside the database.
struct SecretBox: Sendable {
    private let key: SymmetricKey

    init?(key: [UInt8]?) {
        guard let key, key.count == 32 else { return nil }
        self.key = SymmetricKey(data: key)
    }

    func seal(_ text: String) throws -> [UInt8] {
        Array(try AES.GCM.seal(Array(text.utf8), using: key).combined!)
    }

    /// nil when the box was sealed under another key or tampered with.
    func open(_ sealed: [UInt8]) -> String? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed), let plain = try? AES.GCM.open(box, using: key) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }
}
