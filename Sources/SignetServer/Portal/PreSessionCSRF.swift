import Hummingbird
import SignetCore

/// CSRF for the forms shown before there is a session (sign-in, choosing a
/// password): a random token in a strict cookie and the same value in the
/// form ("double submit"). A page on another site can post the form but can
/// neither read nor set the cookie.
enum PreSessionCSRF {
    static let cookieName = "signet_form"

    /// The token for the form being shown: the one already in the cookie, or a new one.
    static func token(for request: Request) -> (token: String, isNew: Bool) {
        if let existing = request.cookies[cookieName]?.value, existing.utf8.count == 43 {
            return (existing, false)
        }
        return (SecretToken.generate(), true)
    }

    static func cookie(_ token: String, secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: token, path: "/portal", secure: secure, httpOnly: true, sameSite: .strict)
    }

    static func check(_ request: Request, fields: [String: String]) throws {
        guard let cookie = request.cookies[cookieName]?.value,
              PortalForm.tokenMatches(fields["csrf"], expected: cookie)
        else { throw PublicError.forbidden }
    }
}
