import Foundation
import Hummingbird
import SignetCore

/// `/portal/alerts/rules`: the brand's alert rules, which editors and owners
/// add, switch on and off, and delete; everyone else reads them.
struct AlertRulesController: Sendable {
    let rules: AlertRuleStore
    let productTypes: ProductTypeStore
    let page: PortalPage

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: list)
        group.post(use: create)
        group.post(":rule/enabled", use: setEnabled)
        group.post(":rule/delete", use: delete)
    }

    @Sendable func list(_ request: Request, context: PortalContext) async throws -> Response {
        try await render(request, context: context, values: [:], problems: [])
    }

    @Sendable func create(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.handleAlerts)
        try Self.requireWholeCatalogue(context)
        var request = request
        let fields = try await PortalForm.fields(&request)
        guard let kind = AlertRule.Kind(rawValue: fields["kind"] ?? "") else { throw PublicError.badRequest }
        func list(_ name: String) -> [String]? {
            let items = (fields[name] ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" }).map { String($0).uppercased() }
            return items.isEmpty ? nil : items
        }
        func number(_ name: String) -> Int? { Int((fields[name] ?? "").trimmingCharacters(in: .whitespaces)) }
        let types = (fields["product_types"] ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
        let settings = AlertRuleSettings(
            probingThreshold: number("probing_threshold"), deactivateSeal: fields["deactivate_seal"] == "on" ? true : nil,
            markets: kind == .offMarket ? list("countries") : nil, watchList: kind == .exceptionalCountry ? list("countries") : nil,
            jumpMinutes: number("jump_minutes"), inbox: kind == .everyScan && fields["inbox"] == "on" ? true : nil)
        var problems: [String] = []
        switch AlertRuleInputCheck.check(
            kind: kind, enabled: true, productTypeCodes: types.isEmpty ? nil : types,
            gtinTexts: list("gtins"), settings: settings)
        {
        case .failure(let found):
            problems = found.list.map(\.localizationKey)
        case .success(let input):
            do {
                _ = try await rules.create(brandID: context.manager.brandID, input, actor: context.manager.auditActor)
                return Redirect(location: "/portal/alerts/rules").response
            } catch AlertRuleStore.Problem.unknownProductTypes {
                problems = ["portal_rule_error_product_type"]
            } catch AlertRuleStore.Problem.unknownProducts {
                problems = ["portal_rule_error_product"]
            }
        }
        return try await render(request, context: context, values: fields, problems: problems, status: .unprocessableContent)
    }

    @Sendable func setEnabled(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.handleAlerts)
        try Self.requireWholeCatalogue(context)
        var request = request
        let fields = try await PortalForm.fields(&request)
        guard let id = Int64(try context.parameters.require("rule")),
              var rule = try await rules.find(brandID: context.manager.brandID, id: id)
        else { throw PublicError.notFound }
        rule.enabled = fields["enabled"] == "true"
        let input = AlertRuleStore.Input(
            kind: rule.kind, enabled: rule.enabled, productTypeCodes: rule.productTypeCodes, gtins: rule.gtins, settings: rule.settings)
        guard try await rules.replace(brandID: context.manager.brandID, id: id, input, actor: context.manager.auditActor) != nil else {
            throw PublicError.notFound
        }
        return Redirect(location: "/portal/alerts/rules").response
    }

    @Sendable func delete(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.handleAlerts)
        try Self.requireWholeCatalogue(context)
        guard let id = Int64(try context.parameters.require("rule")),
              try await rules.delete(brandID: context.manager.brandID, id: id, actor: context.manager.auditActor)
        else { throw PublicError.notFound }
        return Redirect(location: "/portal/alerts/rules").response
    }

    /// Rules watch the whole brand: a user narrowed to some products may read them, not change them.
    private static func requireWholeCatalogue(_ context: PortalContext) throws {
        guard !context.manager.access.isRestricted else { throw PublicError.forbidden }
    }

    private func render(
        _ request: Request, context: PortalContext, values: [String: String], problems: [String], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let types = try await productTypes.list(brandID: context.manager.brandID, access: .all)
        let typeNames = Dictionary(types.map { ($0.code, $0.name(in: language)) }, uniquingKeysWith: { first, _ in first })
        let canEdit = context.manager.role.allows(.handleAlerts) && !context.manager.access.isRestricted
        let rows = try await rules.list(brandID: context.manager.brandID)
        return page.render("alert-rules", request: request, session: context.session, active: .alerts, context: [
            "errors": problems.uniqued().map { strings[$0] },
            "canEdit": canEdit,
            "wholeCatalogue": !context.manager.access.isRestricted,
            "rules": rows.map { rule in
                var scope: [String] = (rule.productTypeCodes ?? []).map { typeNames[$0] ?? $0 }
                scope += rule.gtins ?? []
                var settings: [String] = []
                if let markets = rule.settings.markets { settings.append(strings["portal_rule_markets"] + ": " + markets.joined(separator: ", ")) }
                if let watch = rule.settings.watchList { settings.append(strings["portal_rule_watch_list"] + ": " + watch.joined(separator: ", ")) }
                if let minutes = rule.settings.jumpMinutes { settings.append(strings["portal_rule_jump_minutes"] + ": \(minutes)") }
                if let threshold = rule.settings.probingThreshold { settings.append(strings["portal_rule_probing"] + ": \(threshold)") }
                if rule.settings.deactivateSeal == true { settings.append(strings["portal_rule_deactivate"]) }
                if rule.settings.inbox == true { settings.append(strings["portal_rule_inbox"]) }
                return [
                    "id": rule.id, "kind": rule.kind.rawValue, "label": strings["alert_type_\(rule.kind.rawValue)"],
                    "enabled": rule.enabled, "nextEnabled": rule.enabled ? "false" : "true",
                    "toggle": strings[rule.enabled ? "portal_rule_turn_off" : "portal_rule_turn_on"],
                    "state": strings[rule.enabled ? "portal_rule_on" : "portal_rule_off"],
                    "scope": scope.isEmpty ? strings["portal_rule_everything"] : scope.joined(separator: ", "),
                    "settings": settings.joined(separator: " · "), "canEdit": canEdit,
                ] as [String: Any]
            },
            "kinds": AlertRule.Kind.allCases.map { kind in
                ["code": kind.rawValue, "label": strings["alert_type_\(kind.rawValue)"], "selected": values["kind"] == kind.rawValue]
                    as [String: Any]
            },
            "productTypes": types.map { ["code": $0.code, "name": $0.name(in: language)] },
            "form": values,
        ], status: status)
    }
}
