import Foundation
import SignetAPI
import SignetCore

extension APIHandler {
    func listAlertRules(_ input: Operations.ListAlertRules.Input) async throws -> Operations.ListAlertRules.Output {
        let client = try APIClientScope.require(.alertsRead)
        return .ok(.init(body: .json(.init(items: try await alertRules.list(brandID: client.brandID).map(Self.render)))))
    }

    func getAlertRule(_ input: Operations.GetAlertRule.Input) async throws -> Operations.GetAlertRule.Output {
        let client = try APIClientScope.require(.alertsRead)
        guard let rule = try await alertRules.find(brandID: client.brandID, id: input.path.id) else {
            throw APIProblem.notFound("No alert rule \(input.path.id).")
        }
        return .ok(.init(body: .json(Self.render(rule))))
    }

    func createAlertRule(_ input: Operations.CreateAlertRule.Input) async throws -> Operations.CreateAlertRule.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.alertsWrite))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        let rule = try await Self.mappingStoreProblems {
            try await alertRules.create(brandID: client.brandID, try Self.ruleInput(body), actor: client.auditActor)
        }
        return .created(.init(body: .json(Self.render(rule))))
    }

    func replaceAlertRule(_ input: Operations.ReplaceAlertRule.Input) async throws -> Operations.ReplaceAlertRule.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.alertsWrite))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        let replaced = try await Self.mappingStoreProblems {
            try await alertRules.replace(brandID: client.brandID, id: input.path.id, try Self.ruleInput(body), actor: client.auditActor)
        }
        guard let replaced else { throw APIProblem.notFound("No alert rule \(input.path.id).") }
        return .ok(.init(body: .json(Self.render(replaced))))
    }

    func deleteAlertRule(_ input: Operations.DeleteAlertRule.Input) async throws -> Operations.DeleteAlertRule.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.alertsWrite))
        guard try await alertRules.delete(brandID: client.brandID, id: input.path.id, actor: client.auditActor) else {
            throw APIProblem.notFound("No alert rule \(input.path.id).")
        }
        return .noContent(.init())
    }

    /// The body checked field by field; every problem is reported at once.
    private static func ruleInput(_ body: Components.Schemas.AlertRuleInput) throws -> AlertRuleStore.Input {
        var errors: [APIProblem.FieldError] = []
        guard let kind = AlertRule.Kind(rawValue: body.kind.rawValue) else {
            throw APIProblem.validation([.init(field: "kind", message: "unknown rule kind")])
        }
        var gtins: [String]?
        if let products = body.products {
            gtins = products.compactMap { text in
                guard let gtin = GTIN(text) else {
                    errors.append(.init(field: "products", message: "\(text) is not a GTIN"))
                    return nil
                }
                return gtin.digits
            }
        }
        let given = body.settings
        for (field, codes) in [("settings.markets", given?.markets), ("settings.watch_list", given?.watchList)] {
            for code in codes ?? [] where !(code.count == 2 && code.allSatisfy { $0.isUppercase && $0.isASCII }) {
                errors.append(.init(field: field, message: "\(code) is not two capital letters"))
            }
        }
        if kind == .offMarket, given?.markets?.isEmpty ?? true {
            errors.append(.init(field: "settings.markets", message: "an off_market rule needs the markets you sell in"))
        }
        if kind == .exceptionalCountry, given?.watchList?.isEmpty ?? true {
            errors.append(.init(field: "settings.watch_list", message: "an exceptional_country rule needs a watch list"))
        }
        if let threshold = given?.probingThreshold, !(2...1000).contains(threshold) {
            errors.append(.init(field: "settings.probing_threshold", message: "2 to 1000"))
        }
        if let minutes = given?.jumpMinutes, !(1...10080).contains(minutes) {
            errors.append(.init(field: "settings.jump_minutes", message: "1 to 10080"))
        }
        guard errors.isEmpty else { throw APIProblem.validation(errors) }
        return AlertRuleStore.Input(
            kind: kind, enabled: body.enabled ?? true, productTypeCodes: body.productTypes, gtins: gtins,
            settings: AlertRuleSettings(
                probingThreshold: given?.probingThreshold, deactivateSeal: given?.deactivateSeal, markets: given?.markets,
                watchList: given?.watchList, jumpMinutes: given?.jumpMinutes))
    }

    private static func mappingStoreProblems<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch AlertRuleStore.Problem.unknownProductTypes(let codes) {
            throw APIProblem.validation(codes.map { .init(field: "product_types", message: "no product type \($0)") })
        } catch AlertRuleStore.Problem.unknownProducts(let gtins) {
            throw APIProblem.validation(gtins.map { .init(field: "products", message: "no product \($0)") })
        }
    }

    static func render(_ rule: AlertRuleStore.Rule) -> Components.Schemas.AlertRule {
        .init(
            id: rule.id, kind: .init(rawValue: rule.kind.rawValue) ?? .counterfeit, enabled: rule.enabled,
            productTypes: rule.productTypeCodes, products: rule.gtins,
            settings: .init(
                probingThreshold: rule.settings.probingThreshold, deactivateSeal: rule.settings.deactivateSeal,
                markets: rule.settings.markets, watchList: rule.settings.watchList, jumpMinutes: rule.settings.jumpMinutes))
    }
}
