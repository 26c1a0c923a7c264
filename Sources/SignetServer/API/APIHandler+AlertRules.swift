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
        guard let kind = AlertRule.Kind(rawValue: body.kind.rawValue) else {
            throw APIProblem.validation([.init(field: "kind", message: "unknown rule kind")])
        }
        let given = body.settings
        let settings = AlertRuleSettings(
            probingThreshold: given?.probingThreshold, deactivateSeal: given?.deactivateSeal, markets: given?.markets,
            watchList: given?.watchList, jumpMinutes: given?.jumpMinutes, inbox: given?.inbox)
        switch AlertRuleInputCheck.check(
            kind: kind, enabled: body.enabled ?? true, productTypeCodes: body.productTypes, gtinTexts: body.products,
            lotTexts: body.lots?.map { ($0.gtin, $0.code) }, settings: settings)
        {
        case .success(let input): return input
        case .failure(let problems): throw APIProblem.validation(problems.list.map { .init(field: $0.field, message: $0.englishMessage) })
        }
    }

    static func mappingStoreProblems<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch AlertRuleStore.Problem.unknownProductTypes(let codes) {
            throw APIProblem.validation(codes.map { .init(field: "product_types", message: "no product type \($0)") })
        } catch AlertRuleStore.Problem.unknownProducts(let gtins) {
            throw APIProblem.validation(gtins.map { .init(field: "products", message: "no product \($0)") })
        } catch AlertRuleStore.Problem.unknownLots(let lots) {
            throw APIProblem.validation(lots.map { .init(field: "lots", message: "product \($0.gtin.digits) has no lot \($0.code)") })
        }
    }

    static func render(_ rule: AlertRuleStore.Rule) -> Components.Schemas.AlertRule {
        .init(
            id: rule.id, kind: .init(rawValue: rule.kind.rawValue) ?? .counterfeit, enabled: rule.enabled,
            productTypes: rule.productTypeCodes, products: rule.gtins, lots: rule.lots?.map { .init(gtin: $0.gtin.digits, code: $0.code) },
            settings: .init(
                probingThreshold: rule.settings.probingThreshold, deactivateSeal: rule.settings.deactivateSeal,
                markets: rule.settings.markets, watchList: rule.settings.watchList, jumpMinutes: rule.settings.jumpMinutes,
                inbox: rule.settings.inbox))
    }
}
