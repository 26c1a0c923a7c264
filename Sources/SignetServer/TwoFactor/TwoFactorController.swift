import Hummingbird
import SignetCore

/// Two-factor sign-in: enrolment from the account page (QR code, first code,
/// recovery codes shown once) and the second step of signing in.
struct TwoFactorController: Sendable {
    let twoFactor: TwoFactorStore
    let sessions: SessionStore
    let throttle: SignInThrottle
    let clientAddresses: ClientAddressResolver
    let page: PortalPage
    let account: AccountController
    let secureCookies: Bool

    func addSignInRoutes(to group: RouterGroup<SignetRequestContext>) {
        group.get("sign-in/two-factor", use: showSecondStep)
        group.post("sign-in/two-factor", use: secondStep)
    }

    func addAccountRoutes(to group: RouterGroup<PortalContext>) {
        group.post("two-factor", use: begin)
        group.post("two-factor/confirm", use: confirm)
        group.post("two-factor/disable", use: disable)
    }

    @Sendable func showSecondStep(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let session = context.portalSession, session.awaitingSecondFactor else { throw Redirect.toSignIn }
        return page.render("two-factor", request: request, session: nil, context: ["csrf": session.csrfToken])
    }

    @Sendable func secondStep(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let session = context.portalSession, session.awaitingSecondFactor else { throw Redirect.toSignIn }
        var request = request
        let fields = try await PortalForm.fields(&request)
        guard PortalForm.tokenMatches(fields["csrf"], expected: session.csrfToken) else { throw PublicError.forbidden }
        let address = clientAddresses.clientAddress(
            peer: context.remoteAddress?.signetIPAddress, forwardedFor: request.headers[values: .xForwardedFor])
        let strings = page.renderer.strings(PortalPage.language(for: request, manager: session.manager))
        do {
            try throttle.attempt(email: session.manager.email, address: address)
        } catch {
            var response = page.render("two-factor", request: request, session: nil, context: [
                "csrf": session.csrfToken, "error": strings["portal_sign_in_throttled"],
            ], status: .tooManyRequests)
            response.headers[.retryAfter] = String(error.retryAfterSeconds)
            return response
        }
        guard try await twoFactor.verify(userID: session.manager.userID, code: fields["code"] ?? "") else {
            context.logger.info("second factor refused")
            return page.render("two-factor", request: request, session: nil, context: [
                "csrf": session.csrfToken, "error": strings["portal_two_factor_wrong"],
            ], status: .unauthorized)
        }
        // A new id for the signed-in session; the half-signed-in one ends.
        try await sessions.end(id: session.id)
        let signedIn = try await sessions.create(userID: session.manager.userID, brandID: session.manager.brandID)
        var response = Redirect(location: "/portal").response
        response.setCookie(PortalSessionMiddleware.cookie(id: signedIn.id, secure: secureCookies))
        return response
    }

    @Sendable func begin(_ request: Request, context: PortalContext) async throws -> Response {
        guard let secret = try await twoFactor.begin(sessionID: context.session.id) else {
            return try await account.render(request, context: context, problems: ["portal_two_factor_unavailable"], status: .conflict)
        }
        return renderSetup(request, context: context, secret: secret, error: nil)
    }

    @Sendable func confirm(_ request: Request, context: PortalContext) async throws -> Response {
        var request = request
        let fields = try await PortalForm.fields(&request)
        let manager = context.manager
        if let codes = try await twoFactor.confirm(
            sessionID: context.session.id, userID: manager.userID, code: fields["code"] ?? "", actor: manager.auditActor,
            brandID: manager.brandID) {
            return page.render("recovery-codes", request: request, session: context.session, active: .account, context: ["codes": codes])
        }
        guard let secret = try await twoFactor.pendingSecret(sessionID: context.session.id) else {
            return try await account.render(request, context: context, problems: ["portal_two_factor_no_enrolment"], status: .conflict)
        }
        let strings = page.renderer.strings(PortalPage.language(for: request, manager: manager))
        return renderSetup(request, context: context, secret: secret, error: strings["portal_two_factor_wrong"], status: .unprocessableContent)
    }

    /// Turns two-factor off after one more valid code, unless the brand requires it of this owner.
    @Sendable func disable(_ request: Request, context: PortalContext) async throws -> Response {
        var request = request
        let fields = try await PortalForm.fields(&request)
        let manager = context.manager
        if manager.role == .owner && manager.brandRequiresOwnerTwoFactor {
            return try await account.render(request, context: context, problems: ["portal_two_factor_required_cannot_disable"], status: .conflict)
        }
        guard try await twoFactor.verify(userID: manager.userID, code: fields["code"] ?? "") else {
            return try await account.render(request, context: context, problems: ["portal_two_factor_wrong"], status: .unprocessableContent)
        }
        try await twoFactor.disable(userID: manager.userID, actor: manager.auditActor, brandID: manager.brandID)
        return Redirect(location: "/portal/account?saved=1").response
    }

    private func renderSetup(
        _ request: Request, context: PortalContext, secret: String, error: String?, status: HTTPResponse.Status = .ok
    ) -> Response {
        let url = TwoFactorStore.authenticatorURL(secret: secret, email: context.manager.email, brand: context.manager.brandName)
        var pageContext: [String: Any] = ["secret": secret.chunked(by: 4), "qr": QRCodeSVG.make(url) ?? ""]
        if let error { pageContext["error"] = error }
        return page.render("two-factor-setup", request: request, session: context.session, active: .account, context: pageContext, status: status)
    }
}

private extension String {
    /// "ABCDEFGH" → "ABCD EFGH", easier to type into an authenticator app.
    func chunked(by size: Int) -> String {
        stride(from: 0, to: count, by: size).map { start in
            let from = index(startIndex, offsetBy: start)
            return String(self[from..<(index(from, offsetBy: size, limitedBy: endIndex) ?? endIndex)])
        }.joined(separator: " ")
    }
}
