import Hummingbird
import SignetCore

/// The signed-in user's own account page: portal language and two-factor
/// sign-in (whose enrolment `TwoFactorController` runs).
struct AccountController: Sendable {
    let users: UserStore
    let twoFactor: TwoFactorStore
    let page: PortalPage

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: show)
        group.post("language", use: setLanguage)
    }

    @Sendable func show(_ request: Request, context: PortalContext) async throws -> Response {
        try await render(request, context: context, problems: [], saved: request.uri.queryParameters["saved"] != nil)
    }

    @Sendable func setLanguage(_ request: Request, context: PortalContext) async throws -> Response {
        var request = request
        let fields = try await PortalForm.fields(&request)
        let choice = fields["language"] ?? ""
        guard choice.isEmpty || Language(rawValue: choice) != nil else { throw PublicError.badRequest }
        try await users.setLanguage(userID: context.manager.userID, Language(rawValue: choice))
        return Redirect(location: "/portal/account?saved=1").response
    }

    func render(
        _ request: Request, context: PortalContext, problems: [String], saved: Bool = false, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let manager = context.manager
        let language = PortalPage.language(for: request, manager: manager)
        let strings = page.renderer.strings(language)
        let twoFactorEnabled = try await twoFactor.isEnabled(userID: manager.userID)
        return page.render("account", request: request, session: context.session, active: .account, context: [
            "saved": saved,
            "errors": problems.map { strings[$0] },
            "twoFactorEnabled": twoFactorEnabled,
            "twoFactorAvailable": twoFactor.box != nil,
            "twoFactorRequired": manager.mustSetUpTwoFactor,
            "mayDisableTwoFactor": !(manager.role == .owner && manager.brandRequiresOwnerTwoFactor),
            "languageOptions": [["code": "", "name": strings["portal_language_browser"], "selected": manager.language == nil]]
                + Language.allCases.map { code in
                    ["code": code.rawValue, "name": page.renderer.strings(code)["language_name"], "selected": manager.language == code]
                },
        ], status: status)
    }
}
