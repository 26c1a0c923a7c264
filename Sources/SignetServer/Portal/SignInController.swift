import Hummingbird
import SignetCore

/// Signing in and out of the portal, and choosing a password from a one-time link.
struct SignInController: Sendable {
    let users: UserStore
    let sessions: SessionStore
    let twoFactor: TwoFactorStore
    let passwords: PasswordHasher
    let throttle: SignInThrottle
    let clientAddresses: ClientAddressResolver
    let page: PortalPage
    let secureCookies: Bool

    /// Routes reachable without a session (the group already resumes one if present).
    func addPublicRoutes(to group: RouterGroup<SignetRequestContext>) {
        group.get("sign-in", use: showSignIn)
        group.post("sign-in", use: signIn)
        group.get("welcome/:token", use: showWelcome)
        group.post("welcome/:token", use: choosePassword)
    }

    func addSessionRoutes(to group: RouterGroup<PortalContext>) {
        group.post("sign-out", use: signOut)
        group.post("sign-out-everywhere", use: signOutEverywhere)
    }

    @Sendable func showSignIn(_ request: Request, context: SignetRequestContext) async throws -> Response {
        if let session = context.portalSession {
            throw Redirect(location: session.awaitingSecondFactor ? "/portal/sign-in/two-factor" : "/portal")
        }
        return form("sign-in", request: request, context: [:])
    }

    @Sendable func signIn(_ request: Request, context: SignetRequestContext) async throws -> Response {
        var request = request
        let fields = try await PortalForm.fields(&request)
        try PreSessionCSRF.check(request, fields: fields)
        let email = EmailAddress(fields["email"] ?? "")?.value ?? ""
        let password = fields["password"] ?? ""
        let address = clientAddresses.clientAddress(
            peer: context.remoteAddress?.signetIPAddress, forwardedFor: request.headers[values: .xForwardedFor])
        do {
            try throttle.attempt(email: email, address: address)
        } catch {
            context.logger.notice("sign-in throttled", metadata: ["retry_after": "\(error.retryAfterSeconds)"])
            var response = form("sign-in", request: request, context: ["email": email, "error": "portal_sign_in_throttled"], status: .tooManyRequests)
            response.headers[.retryAfter] = String(error.retryAfterSeconds)
            return response
        }

        // Unknown e-mail, no password yet, disabled, wrong password: one answer, one bcrypt's time.
        let credentials = email.isEmpty ? nil : try await users.credentials(email: email)
        var valid = false
        if let credentials, let hash = credentials.passwordHash, !credentials.disabled {
            valid = try await passwords.verify(password, hash: hash)
        } else {
            valid = try await passwords.verifyAgainstDecoy(password)
        }
        guard valid, let credentials else {
            context.logger.info("sign-in refused")
            return form("sign-in", request: request, context: ["email": email, "error": "portal_sign_in_failed"], status: .unauthorized)
        }
        // With two-factor sign-in, the password only opens the second step.
        let awaiting = try await twoFactor.isEnabled(userID: credentials.userID)
        return try await startSession(
            userID: credentials.userID, brandID: credentials.brandID, awaitingSecondFactor: awaiting, replacing: request)
    }

    @Sendable func showWelcome(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let email = try await users.emailForSignInLink(token) else { return linkUnusable(request) }
        return form("welcome", request: request, context: ["email": email, "token": token])
    }

    @Sendable func choosePassword(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        var request = request
        let fields = try await PortalForm.fields(&request)
        try PreSessionCSRF.check(request, fields: fields)
        guard let email = try await users.emailForSignInLink(token) else { return linkUnusable(request) }
        let password = fields["password"] ?? ""
        var problem: String?
        if password != fields["confirmation"] {
            problem = "portal_password_mismatch"
        } else if let policyProblem = PasswordPolicy.check(password) {
            problem = policyProblem == .tooShort ? "portal_password_too_short" : "portal_password_too_long"
        }
        if let problem {
            return form("welcome", request: request, context: ["email": email, "token": token, "error": problem], status: .unprocessableContent)
        }
        let hash = try await passwords.hash(password)
        guard try await users.redeemSignInLink(token, passwordHash: hash) != nil,
              let credentials = try await users.credentials(email: email)
        else { return linkUnusable(request) }
        context.logger.info("password chosen from a sign-in link")
        let awaiting = try await twoFactor.isEnabled(userID: credentials.userID)
        return try await startSession(
            userID: credentials.userID, brandID: credentials.brandID, awaitingSecondFactor: awaiting, replacing: request)
    }

    @Sendable func signOut(_ request: Request, context: PortalContext) async throws -> Response {
        try await sessions.end(id: context.session.id)
        var response = Redirect.toSignIn.response
        response.setCookie(PortalSessionMiddleware.expiredCookie(secure: secureCookies))
        return response
    }

    @Sendable func signOutEverywhere(_ request: Request, context: PortalContext) async throws -> Response {
        try await sessions.endAll(userID: context.manager.userID)
        var response = Redirect.toSignIn.response
        response.setCookie(PortalSessionMiddleware.expiredCookie(secure: secureCookies))
        return response
    }

    /// A new session with a new id; whatever session the browser had before ends.
    private func startSession(
        userID: Int64, brandID: Int64, awaitingSecondFactor: Bool, replacing request: Request
    ) async throws -> Response {
        if let previous = request.cookies[PortalSessionMiddleware.cookieName]?.value, !previous.isEmpty {
            try await sessions.end(id: String(previous.prefix(64)))
        }
        let session = try await sessions.create(userID: userID, brandID: brandID, awaitingSecondFactor: awaitingSecondFactor)
        var response = Redirect(location: awaitingSecondFactor ? "/portal/sign-in/two-factor" : "/portal").response
        response.setCookie(PortalSessionMiddleware.cookie(id: session.id, secure: secureCookies))
        return response
    }

    /// A sign-in form with its double-submit CSRF token (and the cookie when new).
    private func form(_ template: String, request: Request, context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let (token, isNew) = PreSessionCSRF.token(for: request)
        var context = context
        context["csrf"] = token
        if let key = context["error"] as? String {
            context["error"] = page.renderer.strings(PortalPage.language(for: request, manager: nil))[key]
        }
        var response = page.render(template, request: request, session: nil, context: context, status: status)
        if isNew { response.setCookie(PreSessionCSRF.cookie(token, secure: secureCookies)) }
        return response
    }

    private func linkUnusable(_ request: Request) -> Response {
        page.render("link-unusable", request: request, session: nil, status: .notFound)
    }
}
