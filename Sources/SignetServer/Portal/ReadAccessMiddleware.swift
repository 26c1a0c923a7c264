import Hummingbird

/// Keeps users whose role cannot read the brand's data (a shop's staff) to the
/// pages open to them: the voucher check, their account, sign-out. Other pages
/// redirect to the voucher check; other changes are refused.
struct ReadAccessMiddleware: RouterMiddleware {
    typealias Context = PortalContext
    static let openPaths = ["/portal/vouchers", "/portal/account", "/portal/sign-out"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !context.manager.role.allows(.read),
              !Self.openPaths.contains(where: { request.uri.path == $0 || request.uri.path.hasPrefix($0 + "/") })
        else { return try await next(request, context) }
        guard request.method == .get || request.method == .head else { throw PublicError.forbidden }
        return Redirect(location: "/portal/vouchers").response
    }
}
