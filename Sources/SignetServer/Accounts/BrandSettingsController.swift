import Foundation
import Hummingbird
import SignetCore

/// The owners' brand settings: the name consumers read on the scan page, the
/// support address behind "report a problem", the default language, how many
/// scan sessions make a seal `suspicious`, the query parameter names its NFC
/// tags write, the time zone its statistics are cut in, and whether owners
/// must sign in with a second factor.
struct BrandSettingsController: Sendable {
    let brands: BrandStore
    let page: PortalPage

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: show)
        group.post(use: update)
    }

    @Sendable func show(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageBrand)
        guard let settings = try await brands.settings(brandID: context.manager.brandID) else { throw PublicError.notFound }
        return render(request, context: context, settings: settings, problems: [], saved: request.uri.queryParameters["saved"] != nil)
    }

    @Sendable func update(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageBrand)
        var request = request
        let fields = try await PortalForm.fields(&request)
        var problems: [String] = []
        let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 200 { problems.append("portal_error_name_required") }
        let emailText = (fields["support_email"] ?? "").trimmingCharacters(in: .whitespaces)
        let email = EmailAddress(emailText)
        if !emailText.isEmpty && email == nil { problems.append("portal_error_email_invalid") }
        guard let current = try await brands.settings(brandID: context.manager.brandID) else { throw PublicError.notFound }
        // A form without the session fields keeps the brand's values.
        let sessionLimit = fields["session_limit"].map { Int($0.trimmingCharacters(in: .whitespaces)) } ?? current.sessionLimit
        let sessionMinutes = fields["session_minutes"].map { Int($0.trimmingCharacters(in: .whitespaces)) } ?? current.sessionMinutes
        if sessionLimit.map({ !(1...1000).contains($0) }) ?? true { problems.append("portal_error_session_limit") }
        if sessionMinutes.map({ !(1...1440).contains($0) }) ?? true { problems.append("portal_error_session_minutes") }
        let macInputStart = fields["nfc_mac_input"].flatMap(SUNParameters.MACInputStart.init(rawValue:)) ?? current.nfcParameters.macInputStart
        let nfcParameters = SUNParameters.Names(list: fields["nfc_parameters"] ?? current.nfcParameters.list, macInputStart: macInputStart)
        if nfcParameters == nil { problems.append("portal_error_nfc_parameters") }
        // A form without the field keeps the brand's zone.
        let timeZone = fields["statistics_time_zone"].map { $0.trimmingCharacters(in: .whitespaces) } ?? current.statisticsTimeZone
        if try await !brands.knowsTimeZone(timeZone) { problems.append("portal_error_time_zone") }
        let settings = BrandStore.Settings(
            name: name, supportEmail: email?.value, defaultLanguage: Language(rawValue: fields["default_language"] ?? "") ?? .en,
            ownersNeedTwoFactor: fields["owners_need_two_factor"] == "on",
            sessionLimit: sessionLimit ?? current.sessionLimit, sessionMinutes: sessionMinutes ?? current.sessionMinutes,
            nfcParameters: nfcParameters ?? current.nfcParameters,
            activateOnCommissioning: fields["activate_on_commissioning"] == "on", statisticsTimeZone: timeZone)
        // Requiring a second factor from owners starts with the owner asking for it.
        if settings.ownersNeedTwoFactor && !context.manager.hasTwoFactor {
            problems.append("portal_error_two_factor_first")
        }
        guard problems.isEmpty else {
            return render(
                request, context: context, settings: settings, problems: problems, saved: false, fields: fields, status: .unprocessableContent)
        }
        try await brands.update(brandID: context.manager.brandID, actor: context.manager.auditActor, settings)
        return Redirect(location: "/portal/brand?saved=1").response
    }

    private func render(
        _ request: Request, context: PortalContext, settings: BrandStore.Settings, problems: [String], saved: Bool,
        fields: [String: String]? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let strings = page.renderer.strings(PortalPage.language(for: request, manager: context.manager))
        return page.render("brand", request: request, session: context.session, active: .brand, context: [
            "saved": saved,
            "errors": problems.uniqued().map { strings[$0] },
            "settings": [
                "name": settings.name,
                "supportEmail": settings.supportEmail ?? "",
                "ownersNeedTwoFactor": settings.ownersNeedTwoFactor,
                "activateOnCommissioning": settings.activateOnCommissioning,
                "sessionLimit": settings.sessionLimit,
                "sessionMinutes": settings.sessionMinutes,
                "nfcParameters": fields?["nfc_parameters"] ?? settings.nfcParameters.list,
                "statisticsTimeZone": settings.statisticsTimeZone,
                "timeZones": TimeZone.knownTimeZoneIdentifiers,
                "macInputOptions": SUNParameters.MACInputStart.allCases.map { start in
                    ["code": start.rawValue, "label": strings["portal_nfc_mac_input_\(start.rawValue)"],
                     "selected": start == settings.nfcParameters.macInputStart] as [String: Any]
                },
                "languageOptions": Language.allCases.map { code in
                    ["code": code.rawValue, "name": page.renderer.strings(code)["language_name"], "selected": code == settings.defaultLanguage]
                },
            ] as [String: Any],
        ], status: status)
    }
}
