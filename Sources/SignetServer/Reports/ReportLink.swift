import Crypto
import Foundation
import SignetCore

/// The "Report a problem" link of one scan: `/report/{consultation}?k={mac}`.
/// The MAC binds the form to the consultation it came from, so nobody can
/// file reports against consultations they did not make by counting ids.
struct ReportLink: Sendable {
    private let key: SymmetricKey

    /// - Parameter secret: `SIGNET_SECRET_KEY`; without one, a key for this
    ///   process only (links then stop working at a restart).
    init(secret: [UInt8]?) {
        let root = secret.map { SymmetricKey(data: $0) } ?? SymmetricKey(size: .bits256)
        // A key of its own, so a report MAC can never stand for anything else signed with the secret.
        key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array("signet consumer report".utf8), using: root))
    }

    func path(consultationID: Int64, language: Language) -> String {
        "/report/\(consultationID)?k=\(mac(consultationID))&lang=\(language.rawValue)"
    }

    func isValid(consultationID: Int64, mac given: String) -> Bool {
        SecretToken.constantTimeEquals(Array(given.utf8), Array(mac(consultationID).utf8))
    }

    private func mac(_ consultationID: Int64) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(String(consultationID).utf8), using: key)
        return Base64URL.encode(Array(code).prefix(16))
    }
}
