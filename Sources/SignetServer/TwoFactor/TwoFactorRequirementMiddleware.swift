import Hummingbird

/// Holds an owner whose brand requires two-factor sign-in to their account
/// page until they set it up: pages redirect there, changes are refused.
struct TwoFactorRequirementMiddleware: RouterMiddleware {
    typealias Context = PortalContext

    static let openPaths = ["/portal/account", "/portal/sign-out"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.manager.mustSetUpTwoFactor,
              !Self.openPaths.contains(where: { request.uri.path == $0 || request.uri.path.hasPrefix($0 + "/") })
        else { return try await next(request, context) }
        guard request.method == .get || request.method == .head else { throw PublicError.forbidden }
        return Redirect(location: "/portal/account").response
    }
}
