import Hummingbird

/// Resumes the portal session named by the `signet_session` cookie, if any.
/// A stale or unknown cookie is simply no session; the cookie is cleared.
struct PortalSessionMiddleware: RouterMiddleware {
    typealias Context = SignetRequestContext
    static let cookieName = "signet_session"
    let sessions: SessionStore
    let secureCookies: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let id = request.cookies[Self.cookieName]?.value, !id.isEmpty else {
            return try await next(request, context)
        }
        var context = context
        context.portalSession = try await sessions.resume(id: String(id.prefix(64)))
        var response: Response
        do {
            response = try await next(request, context)
        } catch let redirect as Redirect {
            // Answered here rather than by the error middleware, so a dead cookie is still cleared.
            response = redirect.response
        }
        if context.portalSession == nil, !response.headers[values: .setCookie].contains(where: { $0.hasPrefix("\(Self.cookieName)=") }) {
            response.setCookie(Self.expiredCookie(secure: secureCookies))
        }
        return response
    }

    /// The session cookie: unreadable by scripts, sent only to the portal,
    /// not sent on cross-site subrequests, gone when the browser closes.
    static func cookie(id: String, secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: id, path: "/portal", secure: secure, httpOnly: true, sameSite: .lax)
    }

    static func expiredCookie(secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/portal", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
