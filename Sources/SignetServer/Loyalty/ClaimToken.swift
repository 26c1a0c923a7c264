import Crypto
import Foundation
import SignetCore

/// The "Claim N points" form of one genuine first scan carries this token:
/// the consultation, the product and serial it verified, and when, signed
/// with a key of its own. It is only ever made for a `genuine_first` verdict,
/// so the claim needs no second look at the consultation; it stops working
/// after `lifetime`, and the seal's points go to whoever claims first.
struct ClaimToken: Sendable, Equatable {
    var consultationID: Int64
    var productID: Int64
    var serial: String
    /// Seconds since 1970.
    var issuedAt: Int64

    static let lifetime: Int64 = 30 * 60

    struct Signer: Sendable {
        private let key: SymmetricKey

        /// - Parameter secret: `SIGNET_SECRET_KEY`; without one, a key for this
        ///   process only (tokens then stop working at a restart).
        init(secret: [UInt8]?) {
            let root = secret.map { SymmetricKey(data: $0) } ?? SymmetricKey(size: .bits256)
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array("signet loyalty claim".utf8), using: root))
        }

        func sign(_ token: ClaimToken) -> String {
            let payload = Array("\(token.consultationID)|\(token.productID)|\(token.issuedAt)|\(token.serial)".utf8)
            return Base64URL.encode(payload) + "." + Base64URL.encode(mac(payload))
        }

        /// The token if it is ours, intact and not older than `lifetime`.
        func verify(_ text: String, now: Int64) -> ClaimToken? {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard text.utf8.count <= 512, parts.count == 2,
                  let payload = Base64URL.decode(String(parts[0])), let given = Base64URL.decode(String(parts[1])),
                  SecretToken.constantTimeEquals(given, mac(payload))
            else { return nil }
            let fields = String(decoding: payload, as: UTF8.self).split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count == 4, let consultation = Int64(fields[0]), let product = Int64(fields[1]),
                  let issued = Int64(fields[2]), !fields[3].isEmpty,
                  issued <= now + 60, now - issued <= ClaimToken.lifetime
            else { return nil }
            return ClaimToken(consultationID: consultation, productID: product, serial: String(fields[3]), issuedAt: issued)
        }

        private func mac(_ payload: [UInt8]) -> [UInt8] {
            Array(HMAC<SHA256>.authenticationCode(for: payload, using: key)).prefix(16).map { $0 }
        }
    }
}
