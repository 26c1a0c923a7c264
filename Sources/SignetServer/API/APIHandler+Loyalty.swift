import Foundation
import SignetAPI
import SignetCore

/// The loyalty programme through the API: terms and totals, the reward
/// catalogue, redemptions and their cancellation, point adjustments.
extension APIHandler {
    func getLoyaltyProgramme(_ input: Operations.GetLoyaltyProgramme.Input) async throws -> Operations.GetLoyaltyProgramme.Output {
        let client = try APIClientScope.require(.loyaltyRead)
        return .ok(.init(body: .json(try await programmeBody(brandID: client.brandID))))
    }

    func setLoyaltyTerms(_ input: Operations.SetLoyaltyTerms.Input) async throws -> Operations.SetLoyaltyTerms.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.loyaltyWrite))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        var errors: [APIProblem.FieldError] = []
        if !(1...100_000).contains(body.points) { errors.append(.init(field: "points", message: "1 to 100000")) }
        if !(1...1000).contains(body.dailyClaims) { errors.append(.init(field: "daily_claims", message: "1 to 1000")) }
        if !(0...86_400).contains(body.claimGapSeconds) { errors.append(.init(field: "claim_gap_seconds", message: "0 to 86400")) }
        if let days = body.expiryDays, !(1...3650).contains(days) { errors.append(.init(field: "expiry_days", message: "1 to 3650, or absent for never")) }
        guard errors.isEmpty else { throw APIProblem.validation(errors) }
        try await programme.update(brandID: client.brandID, actor: client.auditActor, LoyaltyTerms(
            enabled: body.enabled, defaultPoints: body.points, dailyClaims: body.dailyClaims, claimGapSeconds: body.claimGapSeconds,
            expiryDays: body.expiryDays))
        return .ok(.init(body: .json(try await programmeBody(brandID: client.brandID))))
    }

    func listRewards(_ input: Operations.ListRewards.Input) async throws -> Operations.ListRewards.Output {
        let client = try APIClientScope.require(.loyaltyRead)
        let list = try await rewards.rewards(brandID: client.brandID, includeArchived: input.query.archived ?? false)
        return .ok(.init(body: .json(.init(items: list.map(Self.render)))))
    }

    func createReward(_ input: Operations.CreateReward.Input) async throws -> Operations.CreateReward.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.loyaltyWrite))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        let id = try await rewards.create(brandID: client.brandID, try Self.rewardDraft(body), actor: client.auditActor)
        guard let reward = try await rewards.reward(brandID: client.brandID, id: id) else { throw APIProblem.notFound("No reward \(id).") }
        return .created(.init(body: .json(Self.render(reward))))
    }

    func replaceReward(_ input: Operations.ReplaceReward.Input) async throws -> Operations.ReplaceReward.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.loyaltyWrite))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        guard try await rewards.update(brandID: client.brandID, id: input.path.id, try Self.rewardDraft(body), actor: client.auditActor),
              let reward = try await rewards.reward(brandID: client.brandID, id: input.path.id)
        else { throw APIProblem.notFound("No reward \(input.path.id).") }
        return .ok(.init(body: .json(Self.render(reward))))
    }

    /// The store's draft of a reward, or a validation problem listing every bad field.
    private static func rewardDraft(_ body: Components.Schemas.RewardInput) throws -> RewardStore.Draft {
        var errors: [APIProblem.FieldError] = []
        if !(1...10_000_000).contains(body.pointCost) { errors.append(.init(field: "point_cost", message: "1 to 10000000")) }
        if let stock = body.stock, stock < 0 { errors.append(.init(field: "stock", message: "0 or more, or absent for unlimited")) }
        if let limit = body.perWalletLimit, limit < 1 { errors.append(.init(field: "per_wallet_limit", message: "1 or more, or absent")) }
        if let from = body.activeFrom, let until = body.activeUntil, until <= from {
            errors.append(.init(field: "active_until", message: "after active_from"))
        }
        let defaultLanguage = Language(rawValue: body.defaultLanguage.rawValue) ?? .en
        var names: [Language: (name: String, description: String)] = [:]
        for (code, text) in body.texts.additionalProperties {
            guard let language = Language(rawValue: code) else {
                errors.append(.init(field: "texts.\(code)", message: "en, fr, de or es"))
                continue
            }
            let name = text.name.trimmingCharacters(in: .whitespacesAndNewlines)
            let description = (text.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty || name.count > 200 { errors.append(.init(field: "texts.\(code).name", message: "1 to 200 characters")) }
            if description.count > 4000 { errors.append(.init(field: "texts.\(code).description", message: "at most 4000 characters")) }
            names[language] = (name, description)
        }
        if names[defaultLanguage] == nil {
            errors.append(.init(field: "texts.\(defaultLanguage.rawValue)", message: "the default language's name is required"))
        }
        guard errors.isEmpty else { throw APIProblem.validation(errors) }
        return RewardStore.Draft(
            pointCost: body.pointCost, stock: body.stock, perWalletLimit: body.perWalletLimit, activeFrom: body.activeFrom,
            activeUntil: body.activeUntil, defaultLanguage: defaultLanguage, names: names)
    }

    func archiveReward(_ input: Operations.ArchiveReward.Input) async throws -> Operations.ArchiveReward.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.loyaltyWrite))
        guard try await rewards.setArchived(brandID: client.brandID, id: input.path.id, archived: true, actor: client.auditActor),
              let reward = try await rewards.reward(brandID: client.brandID, id: input.path.id)
        else { throw APIProblem.notFound("No reward \(input.path.id).") }
        return .ok(.init(body: .json(Self.render(reward))))
    }

    func listRedemptions(_ input: Operations.ListRedemptions.Input) async throws -> Operations.ListRedemptions.Output {
        let client = try APIClientScope.require(.loyaltyRead)
        let filter = LoyaltyProgrammeStore.Filter(
            status: input.query.status.flatMap { RedemptionStore.Status(rawValue: $0.rawValue) }, rewardID: input.query.reward)
        let list = try await programme.redemptions(brandID: client.brandID, filter: filter, limit: try Self.pageSize(input.query.limit))
        var items: [Components.Schemas.Voucher] = []
        for redemption in list { items.append(try await render(redemption)) }
        return .ok(.init(body: .json(.init(items: items))))
    }

    func cancelRedemption(_ input: Operations.CancelRedemption.Input) async throws -> Operations.CancelRedemption.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.loyaltyWrite))
        guard let cancelled = try await redemptions.cancel(
            brandID: client.brandID, id: input.path.id, by: "key \(client.name)", actor: client.auditActor)
        else {
            if try await redemptions.redemption(brandID: client.brandID, id: input.path.id) != nil { throw APIProblem.conflict("Redemption \(input.path.id) is no longer issued: it was used or cancelled.") }
            throw APIProblem.notFound("No redemption \(input.path.id).")
        }
        var body = try await render(cancelled)
        body.status = .cancelled
        return .ok(.init(body: .json(body)))
    }

    func adjustPoints(_ input: Operations.AdjustPoints.Input) async throws -> Operations.AdjustPoints.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.loyaltyWrite))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        let adjustment: PointsAdjustment
        switch PointsAdjustment.check(wallet: String(body.wallet), points: String(body.points), reason: body.reason) {
        case .success(let checked): adjustment = checked
        case .failure(.wallet): throw APIProblem.validation([.init(field: "wallet", message: "a wallet number")])
        case .failure(.points): throw APIProblem.validation([.init(field: "points", message: "-1000000 to 1000000, not 0")])
        case .failure: throw APIProblem.validation([.init(field: "reason", message: "1 to 500 characters")])
        }
        do {
            let balance = try await loyalty.adjust(adjustment, brandID: client.brandID, actor: client.auditActor)
            return .ok(.init(body: .json(.init(wallet: adjustment.walletID, points: adjustment.points, balance: balance))))
        } catch PointsAdjustment.Problem.unknownWallet {
            throw APIProblem.notFound("No wallet \(adjustment.walletID) holds points of this brand.")
        } catch PointsAdjustment.Problem.wouldGoNegative {
            throw APIProblem.conflict("Wallet \(adjustment.walletID) holds fewer than \(-adjustment.points) points.")
        }
    }

    private func programmeBody(brandID: Int64) async throws -> Components.Schemas.LoyaltyProgramme {
        guard let terms = try await programme.terms(brandID: brandID) else { throw APIProblem.notFound("No brand.") }
        let totals = try await programme.totals(brandID: brandID)
        return .init(
            terms: .init(
                enabled: terms.enabled, points: terms.defaultPoints, dailyClaims: terms.dailyClaims,
                claimGapSeconds: terms.claimGapSeconds, expiryDays: terms.expiryDays),
            totals: .init(
                issued: totals.issued, redeemed: totals.redeemed, refunded: totals.refunded, expired: totals.expired,
                adjusted: totals.adjusted, outstanding: totals.outstanding, wallets: totals.wallets))
    }

    private static func render(_ reward: RewardStore.Reward) -> Components.Schemas.Reward {
        .init(
            value1: .init(
                pointCost: reward.pointCost, stock: reward.stock, perWalletLimit: reward.perWalletLimit,
                activeFrom: reward.activeFrom, activeUntil: reward.activeUntil,
                defaultLanguage: .init(rawValue: reward.defaultLanguage.rawValue) ?? .en,
                texts: .init(additionalProperties: Dictionary(uniqueKeysWithValues: reward.names.map {
                    ($0.key.rawValue, Components.Schemas.RewardText(name: $0.value.name, description: $0.value.description))
                }))),
            value2: .init(id: reward.id, archived: reward.archived, imageUrl: reward.imageURL))
    }
}
