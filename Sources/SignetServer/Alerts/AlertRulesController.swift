import Foundation
import Hummingbird
import SignetCore

/// `/portal/alerts/rules`: the brand's alert rules, which editors and owners
/// add, edit, switch on and off, and delete; everyone else reads them.
struct AlertRulesController: Sendable {
    let rules: AlertRuleStore
    let productTypes: ProductTypeStore
    let page: PortalPage

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":rule", use: edit)
        group.post(":rule", use: update)
        group.post(":rule/enabled", use: setEnabled)
        group.post(":rule/delete", use: delete)
    }

    @Sendable func list(_ request: Request, context: PortalContext) async throws -> Response {
        try await renderList(request, context: context, values: [:], problems: [])
    }

    @Sendable func create(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.handleAlerts)
        try Self.requireWholeCatalogue(context)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let problems: [String]
        switch try await input(fields, enabled: true, brandID: context.manager.brandID) {
        case .failure(let found):
            problems = found.list.map(\.localizationKey)
        case .success(let input):
            do {
                _ = try await rules.create(brandID: context.manager.brandID, input, actor: context.manager.auditActor)
                return Redirect(location: "/portal/alerts/rules").response
            } catch let problem as AlertRuleStore.Problem {
                problems = [Self.localizationKey(problem)]
            }
        }
        return try await renderList(request, context: context, values: fields, problems: problems, status: .unprocessableContent)
    }

    @Sendable func edit(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.handleAlerts)
        try Self.requireWholeCatalogue(context)
        let rule = try await requireRule(context)
        return try await renderEdit(request, context: context, rule: rule, values: Self.formValues(rule), problems: [])
    }

    @Sendable func update(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.handleAlerts)
        try Self.requireWholeCatalogue(context)
        let rule = try await requireRule(context)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let problems: [String]
        switch try await input(fields, enabled: rule.enabled, brandID: context.manager.brandID) {
        case .failure(let found):
            problems = found.list.map(\.localizationKey)
        case .success(let input):
            do {
                guard try await rules.replace(brandID: context.manager.brandID, id: rule.id, input, actor: context.manager.auditActor) != nil
                else { throw PublicError.notFound }
                return Redirect(location: "/portal/alerts/rules").response
            } catch let problem as AlertRuleStore.Problem {
                problems = [Self.localizationKey(problem)]
            }
        }
        return try await renderEdit(request, context: context, rule: rule, values: fields, problems: problems, status: .unprocessableContent)
    }

    /// The form's fields as a rule, or what is wrong with them.
    private func input(
        _ fields: [String: String], enabled: Bool, brandID: Int64
    ) async throws -> Result<AlertRuleStore.Input, AlertRuleInputCheck.Problems> {
        guard let kind = AlertRule.Kind(rawValue: fields["kind"] ?? "") else { throw PublicError.badRequest }
        func list(_ name: String) -> [String]? {
            let items = (fields[name] ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\r" })
                .map { String($0).uppercased() }
            return items.isEmpty ? nil : items
        }
        func number(_ name: String) -> Int? { Int((fields[name] ?? "").trimmingCharacters(in: .whitespaces)) }
        // Boxes are named after the type codes; only the brand's own types are read.
        let types = try await productTypes.list(brandID: brandID, access: .all).map(\.code).filter { fields["type_\($0)"] == "on" }
        let lots = (fields["lots"] ?? "").split(whereSeparator: \.isNewline).compactMap { line -> (gtin: String, code: String)? in
            let parts = line.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
            guard let gtin = parts.first else { return nil }
            return (String(gtin), parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : "")
        }
        let settings = AlertRuleSettings(
            probingThreshold: number("probing_threshold"), deactivateSeal: fields["deactivate_seal"] == "on" ? true : nil,
            markets: kind == .offMarket ? list("countries") : nil, watchList: kind == .exceptionalCountry ? list("countries") : nil,
            jumpMinutes: number("jump_minutes"), inbox: kind == .everyScan && fields["inbox"] == "on" ? true : nil)
        return AlertRuleInputCheck.check(
            kind: kind, enabled: enabled, productTypeCodes: types.isEmpty ? nil : types, gtinTexts: list("gtins"),
            lotTexts: lots.isEmpty ? nil : lots, settings: settings)
    }

    /// A stored rule as the form's fields, so the edit page starts from it.
    private static func formValues(_ rule: AlertRuleStore.Rule) -> [String: String] {
        var values: [String: String] = ["kind": rule.kind.rawValue]
        for code in rule.productTypeCodes ?? [] { values["type_\(code)"] = "on" }
        if let gtins = rule.gtins { values["gtins"] = gtins.joined(separator: ", ") }
        if let lots = rule.lots { values["lots"] = lots.map(\.line).joined(separator: "\n") }
        if let countries = rule.settings.markets ?? rule.settings.watchList { values["countries"] = countries.joined(separator: ", ") }
        if let minutes = rule.settings.jumpMinutes { values["jump_minutes"] = String(minutes) }
        if let threshold = rule.settings.probingThreshold { values["probing_threshold"] = String(threshold) }
        if rule.settings.deactivateSeal == true { values["deactivate_seal"] = "on" }
        if rule.settings.inbox == true { values["inbox"] = "on" }
        return values
    }

    private static func localizationKey(_ problem: AlertRuleStore.Problem) -> String {
        switch problem {
        case .unknownProductTypes: "portal_rule_error_product_type"
        case .unknownProducts: "portal_rule_error_product"
        case .unknownLots: "portal_rule_error_lot"
        }
    }

    private func requireRule(_ context: PortalContext) async throws -> AlertRuleStore.Rule {
        guard let id = Int64(try context.parameters.require("rule")),
              let rule = try await rules.find(brandID: context.manager.brandID, id: id)
        else { throw PublicError.notFound }
        return rule
    }

    @Sendable func setEnabled(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.handleAlerts)
        try Self.requireWholeCatalogue(context)
        var request = request
        let fields = try await PortalForm.fields(&request)
        var rule = try await requireRule(context)
        rule.enabled = fields["enabled"] == "true"
        guard try await rules.replace(brandID: context.manager.brandID, id: rule.id, rule.input, actor: context.manager.auditActor) != nil else {
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

    private func renderList(
        _ request: Request, context: PortalContext, values: [String: String], problems: [String], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let types = try await productTypes.list(brandID: context.manager.brandID, access: .all)
        let typeNames = Dictionary(types.map { ($0.code, $0.name(in: language)) }, uniquingKeysWith: { first, _ in first })
        let canEdit = context.manager.role.allows(.handleAlerts) && !context.manager.access.isRestricted
        let rows = try await rules.list(brandID: context.manager.brandID)
        var pageContext: [String: Any] = [
            "errors": problems.uniqued().map { strings[$0] },
            "canEdit": canEdit,
            "wholeCatalogue": !context.manager.access.isRestricted,
            "rules": rows.map { rule in
                var scope: [String] = (rule.productTypeCodes ?? []).map { typeNames[$0] ?? $0 }
                scope += rule.gtins ?? []
                scope += (rule.lots ?? []).map { (lot: LotReference) -> String in strings["portal_rule_lot"] + " " + lot.line }
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
        ]
        pageContext.merge(Self.formContext(values: values, types: types, language: language, strings: strings)) { $1 }
        return page.render("alert-rules", request: request, session: context.session, active: .alerts, context: pageContext, status: status)
    }

    private func renderEdit(
        _ request: Request, context: PortalContext, rule: AlertRuleStore.Rule, values: [String: String], problems: [String],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let types = try await productTypes.list(brandID: context.manager.brandID, access: .all)
        var pageContext: [String: Any] = [
            "errors": problems.uniqued().map { strings[$0] },
            "id": rule.id, "label": strings["alert_type_\(rule.kind.rawValue)"],
            "state": strings[rule.enabled ? "portal_rule_on" : "portal_rule_off"],
        ]
        pageContext.merge(Self.formContext(values: values, types: types, language: language, strings: strings)) { $1 }
        return page.render("alert-rule", request: request, session: context.session, active: .alerts, context: pageContext, status: status)
    }

    /// What the rule form (`alert-rule-fields`) shows: the typed or stored values.
    private static func formContext(
        values: [String: String], types: [ProductTypeStore.ProductType], language: Language, strings: LocalizedStrings
    ) -> [String: Any] {
        [
            "kinds": AlertRule.Kind.allCases.map { kind in
                ["code": kind.rawValue, "label": strings["alert_type_\(kind.rawValue)"], "selected": values["kind"] == kind.rawValue]
                    as [String: Any]
            },
            "productTypes": types.map {
                ["code": $0.code, "name": $0.name(in: language), "checked": values["type_\($0.code)"] == "on"] as [String: Any]
            },
            "form": values,
        ]
    }
}
