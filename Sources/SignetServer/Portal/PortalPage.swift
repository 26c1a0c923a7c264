import Hummingbird
import SignetCore

/// Renders portal pages: the chosen language, the signed-in user's header and
/// menu, and the CSRF token every form carries.
struct PortalPage: Sendable {
    let renderer: PageRenderer

    /// `?lang=` first (the switcher), then the user's saved choice, then cookie and browser.
    static func language(for request: Request, manager: BrandManager?) -> Language {
        if let requested = request.uri.queryParameters["lang"].flatMap({ Language(tag: String($0)) }) { return requested }
        if let saved = manager?.language { return saved }
        return LanguagePreferences(request: request).choose(among: Language.allCases, productDefault: nil)
    }

    func render(
        _ template: String, request: Request, session: SessionStore.Session?, active: PortalNavigation? = nil,
        context: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) -> Response {
        let language = Self.language(for: request, manager: session?.manager)
        let strings = renderer.strings(language)
        var context = context
        if let session {
            context["session"] = [
                "brandName": session.manager.brandName,
                "email": session.manager.email,
                "role": strings["portal_role_\(session.manager.role.rawValue)"],
                "csrf": session.csrfToken,
                "failingWebhooks": session.manager.role == .owner && session.manager.failingWebhooks > 0
                    ? strings.format("portal_webhooks_failing_banner", ["count": String(session.manager.failingWebhooks)]) : "",
                "navigation": PortalNavigation.entries(for: session.manager.role).map { entry in
                    var item: [String: Any] = ["label": strings[entry.labelKey], "path": entry.path, "current": entry == active]
                    if entry == .alerts, session.manager.openAlerts > 0 {
                        item["count"] = session.manager.openAlerts >= SessionStore.openAlertsShownLimit
                            ? "\(SessionStore.openAlertsShownLimit - 1)+" : String(session.manager.openAlerts)
                        item["countLabel"] = strings.format("portal_open_alerts", ["count": item["count"] as! String])
                    }
                    return item
                },
            ] as [String: Any]
        }
        context["languages"] = renderer.languageLinks(Language.allCases, current: language, query: request.uri.query)
        var response = renderer.page(template, language: language, context: Self.withoutEmptyText(context), status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// Drops empty strings, at any depth: mustache treats "" as true, so a
    /// `{{#lot}}` section would show for a batch without a lot.
    static func withoutEmptyText(_ context: [String: Any]) -> [String: Any] {
        context.compactMapValues(withoutEmptyText)
    }

    private static func withoutEmptyText(_ value: Any) -> Any? {
        switch value {
        case let text as String: text.isEmpty ? nil : text
        case let dictionary as [String: Any]: withoutEmptyText(dictionary)
        case let list as [[String: Any]]: list.map { withoutEmptyText($0) }
        case let list as [Any]: list.compactMap(withoutEmptyText)
        default: value
        }
    }
}
