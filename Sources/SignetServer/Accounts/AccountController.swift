import Hummingbird
import SignetCore

/// The signed-in user's own account page: portal language, alert e-mails and
/// two-factor sign-in (whose enrolment `TwoFactorController` runs).
struct AccountController: Sendable {
    let users: UserStore
    let twoFactor: TwoFactorStore
    let alertMail: AlertMailStore
    /// Whether this server can send e-mail (SIGNET_SMTP_URL).
    let mailConfigured: Bool
    let page: PortalPage

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: show)
        group.post("language", use: setLanguage)
        group.post("alert-mail", use: setAlertMail)
    }

    @Sendable func setAlertMail(_ request: Request, context: PortalContext) async throws -> Response {
        var request = request
        let fields = try await PortalForm.fields(&request)
        guard let frequency = AlertMailStore.Frequency(rawValue: fields["frequency"] ?? "") else { throw PublicError.badRequest }
        let types = AlertType.allCases.filter { fields["type_\($0.rawValue)"] == "on" }
        if frequency != .off && types.isEmpty {
            return try await render(request, context: context, problems: ["portal_alert_mail_error_types"], status: .unprocessableContent)
        }
        try await alertMail.setSettings(userID: context.manager.userID, .init(frequency: frequency, types: frequency == .off ? [] : types))
        return Redirect(location: "/portal/account?saved=1").response
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
        let mail = try await alertMail.settings(userID: manager.userID)
        return page.render("account", request: request, session: context.session, active: .account, context: [
            "saved": saved,
            "errors": problems.map { strings[$0] },
            "twoFactorEnabled": twoFactorEnabled,
            "mailConfigured": mailConfigured,
            "mailFrequencies": AlertMailStore.Frequency.allCases.map { frequency in
                ["code": frequency.rawValue, "label": strings["portal_alert_mail_\(frequency.rawValue)"], "checked": frequency == mail.frequency]
                    as [String: Any]
            },
            "mailTypes": AlertType.allCases.map { type in
                ["code": type.rawValue, "label": strings["alert_type_\(type.rawValue)"], "checked": mail.types.contains(type)] as [String: Any]
            },
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
