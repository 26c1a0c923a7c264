import HTTPTypes
import Hummingbird

/// Headers every response carries. Scan URLs hold seal tokens, so no page may
/// leak them through `Referer`. The only script is the portal's own files
/// (the alert inbox's live feed); nothing inline.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.xFrameOptions] = "DENY"
        return response
    }
}

private let contentSecurityPolicy =
    "default-src 'none'; img-src 'self' https: data:; style-src 'self'; font-src 'self'; script-src 'self'; connect-src 'self'; "
    + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
