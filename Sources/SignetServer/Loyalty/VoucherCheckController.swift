import Foundation
import Hummingbird
import SignetCore

/// The shop's till in the portal: type or scan a voucher's code, see what it
/// is worth and whether it is still valid, mark it used. Open to shop staff,
/// editors and owners (`BrandAction.useVouchers`); a voucher is used once.
struct VoucherCheckController: Sendable {
    let redemptions: RedemptionStore
    let rewards: RewardStore
    let page: PortalPage
    /// Codes looked up or used per portal user.
    let lookups: RateLimit<Int64>

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: check)
        group.post("use", use: use)
    }

    @Sendable func check(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.useVouchers)
        guard let typed = request.uri.queryParameters["code"].map(String.init), !typed.isEmpty else {
            return render(request, context: context, [:])
        }
        try lookups.check(context.manager.userID)
        guard let code = VoucherCode(reading: typed) else {
            return render(request, context: context, ["typed": typed, "problem": "portal_vouchers_bad_code"], status: .unprocessableContent)
        }
        guard let voucher = try await redemptions.voucher(brandID: context.manager.brandID, code: code) else {
            return render(request, context: context, ["typed": typed, "problem": "portal_vouchers_unknown"], status: .notFound)
        }
        return try await render(request, context: context, voucher: voucher, outcome: nil)
    }

    @Sendable func use(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.useVouchers)
        var request = request
        let fields = try await PortalForm.fields(&request)
        try lookups.check(context.manager.userID)
        guard let code = VoucherCode(reading: fields["code"] ?? "") else {
            return render(request, context: context, ["typed": fields["code"] ?? "", "problem": "portal_vouchers_bad_code"], status: .unprocessableContent)
        }
        let who = "\(context.manager.email) (\(context.manager.role.rawValue))"
        switch try await redemptions.use(brandID: context.manager.brandID, code: code, by: who) {
        case .notFound:
            return render(request, context: context, ["typed": code.description, "problem": "portal_vouchers_unknown"], status: .notFound)
        case .used(let voucher):
            return try await render(request, context: context, voucher: voucher, outcome: "portal_vouchers_used_now")
        case .alreadyUsed(let voucher), .cancelled(let voucher):
            return try await render(request, context: context, voucher: voucher, outcome: nil, status: .conflict)
        }
    }

    private func render(
        _ request: Request, context: PortalContext, voucher: RedemptionStore.Redemption, outcome: String?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let reward = try await rewards.reward(brandID: context.manager.brandID, id: voucher.rewardID)
        let day = { (date: Date) in date.formatted(.iso8601.year().month().day()) }
        let state = switch voucher.status {
        case .issued: strings.format("portal_vouchers_issued", ["date": day(voucher.createdAt)])
        case .used: strings.format("portal_vouchers_already_used", ["date": day(voucher.usedAt ?? voucher.createdAt), "by": voucher.usedBy ?? ""])
        case .cancelled: strings["portal_vouchers_cancelled"]
        }
        var values: [String: Any] = [
            "typed": voucher.code.description,
            "voucher": [
                "code": voucher.code.description, "normalized": voucher.code.normalized,
                "reward": reward?.text(in: language).name ?? "", "points": String(voucher.points),
                "state": state, "statusCode": voucher.status.rawValue, "usable": voucher.status == .issued,
            ] as [String: Any],
        ]
        if let outcome { values["done"] = strings[outcome] }
        return render(request, context: context, values, status: status)
    }

    private func render(_ request: Request, context: PortalContext, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        var values = values
        if let problem = values["problem"] as? String {
            let language = PortalPage.language(for: request, manager: context.manager)
            values["problem"] = page.renderer.strings(language)[problem]
        }
        return page.render("vouchers", request: request, session: context.session, active: .vouchers, context: values, status: status)
    }
}
