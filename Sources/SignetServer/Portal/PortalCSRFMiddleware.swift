import HTTPTypes
import Hummingbird

/// Every state-changing portal request must carry the session's CSRF token in
/// its `csrf` field (or an `X-CSRF-Token` header); otherwise 403, nothing changes.
struct PortalCSRFMiddleware: RouterMiddleware {
    typealias Context = PortalContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard PortalForm.isStateChanging(request.method) else { return try await next(request, context) }
        var request = request
        let submitted: String?
        if let header = request.headers[.xCSRFToken] {
            submitted = header
        } else {
            submitted = try await PortalForm.fields(&request)["csrf"]
        }
        guard PortalForm.tokenMatches(submitted, expected: context.session.csrfToken) else {
            context.logger.notice("portal request without a valid CSRF token", metadata: ["path": "\(request.uri.path)"])
            throw PublicError.forbidden
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xCSRFToken = Self("X-CSRF-Token")!
}
