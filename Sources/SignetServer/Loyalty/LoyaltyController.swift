import Foundation
import Hummingbird
import SignetCore

/// The brand's loyalty page: totals from the ledger, the programme's terms
/// (owners), the reward catalogue (editors add, edit, picture and archive),
/// the redemptions with filters, cancellation (editors) and a CSV export, and
/// customer service's point adjustments (editors).
struct LoyaltyController: Sendable {
    let programme: LoyaltyProgrammeStore
    let rewards: RewardStore
    let redemptions: RedemptionStore
    let loyalty: LoyaltyStore
    let page: PortalPage

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: show)
        group.post("settings", use: updateSettings)
        group.post("rewards", use: createReward)
        group.get("rewards/:id", use: editReward)
        group.post("rewards/:id", use: updateReward)
        group.post("rewards/:id/archive", use: archive)
        group.post("rewards/:id/image", use: uploadImage)
        group.post("rewards/:id/image/remove", use: removeImage)
        group.post("adjustments", use: adjust)
        group.post("redemptions/:id/cancel", use: cancel)
        group.get("redemptions.csv", use: export)
    }

    @Sendable func show(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.read)
        guard let terms = try await programme.terms(brandID: context.manager.brandID) else { throw PublicError.notFound }
        return try await render(request, context: context, terms: terms, problems: [], notice: request.uri.queryParameters["saved"] != nil)
    }

    @Sendable func updateSettings(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageBrand)
        var request = request
        let fields = try await PortalForm.fields(&request)
        var problems: [String] = []
        func number(_ name: String, _ range: ClosedRange<Int>, _ problem: String) -> Int? {
            guard let value = Int((fields[name] ?? "").trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                problems.append(problem)
                return nil
            }
            return value
        }
        let points = number("points", 1...100_000, "portal_loyalty_error_points")
        let daily = number("daily_claims", 1...1000, "portal_loyalty_error_daily")
        let gap = number("claim_gap_seconds", 0...86_400, "portal_loyalty_error_gap")
        let expiryText = (fields["expiry_days"] ?? "").trimmingCharacters(in: .whitespaces)
        let expiry = expiryText.isEmpty ? nil : number("expiry_days", 1...3650, "portal_loyalty_error_expiry")
        let terms = LoyaltyTerms(
            enabled: fields["enabled"] == "on", defaultPoints: points ?? 0, dailyClaims: daily ?? 0, claimGapSeconds: gap ?? 0,
            expiryDays: expiry)
        guard problems.isEmpty else {
            return try await render(request, context: context, terms: terms, problems: problems, status: .unprocessableContent)
        }
        try await programme.update(brandID: context.manager.brandID, actor: context.manager.auditActor, terms)
        return Redirect(location: "/portal/loyalty?saved=1").response
    }

    @Sendable func createReward(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageLoyalty)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let (draft, problems) = Self.rewardDraft(fields, language: PortalPage.language(for: request, manager: context.manager))
        guard let draft else {
            guard let terms = try await programme.terms(brandID: context.manager.brandID) else { throw PublicError.notFound }
            return try await render(
                request, context: context, terms: terms, problems: problems, status: .unprocessableContent, draft: fields)
        }
        _ = try await rewards.create(brandID: context.manager.brandID, draft, actor: context.manager.auditActor)
        return Redirect(location: "/portal/loyalty?saved=1#rewards").response
    }

    @Sendable func editReward(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageLoyalty)
        guard let id = context.parameters.get("id").flatMap(Int64.init),
              let reward = try await rewards.reward(brandID: context.manager.brandID, id: id)
        else { throw PublicError.notFound }
        let fields = Self.fields(of: reward)
        return renderReward(request, context: context, id: id, imageURL: reward.imageURL, fields: fields, problems: [])
    }

    @Sendable func updateReward(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageLoyalty)
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw PublicError.notFound }
        var request = request
        let fields = try await PortalForm.fields(&request)
        let (draft, problems) = Self.rewardDraft(fields, language: PortalPage.language(for: request, manager: context.manager))
        guard let draft else {
            guard let reward = try await rewards.reward(brandID: context.manager.brandID, id: id) else { throw PublicError.notFound }
            return renderReward(
                request, context: context, id: id, imageURL: reward.imageURL, fields: fields, problems: problems, status: .unprocessableContent)
        }
        guard try await rewards.update(brandID: context.manager.brandID, id: id, draft, actor: context.manager.auditActor) else {
            throw PublicError.notFound
        }
        return Redirect(location: "/portal/loyalty?saved=1#rewards").response
    }

    /// A reward as the form gives it, or the localization keys of what is wrong.
    static func rewardDraft(_ fields: [String: String], language: Language) -> (RewardStore.Draft?, [String]) {
        var problems: [String] = []
        let trimmed = { (name: String) in (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let cost = Int(trimmed("point_cost")).flatMap { (1...10_000_000).contains($0) ? $0 : nil }
        if cost == nil { problems.append("portal_loyalty_error_cost") }
        let stock = trimmed("stock").isEmpty ? .some(nil) : Int(trimmed("stock")).flatMap { $0 >= 0 ? .some($0) : nil }
        if stock == nil { problems.append("portal_loyalty_error_stock") }
        let limit = trimmed("per_wallet_limit").isEmpty ? .some(nil) : Int(trimmed("per_wallet_limit")).flatMap { $0 >= 1 ? .some($0) : nil }
        if limit == nil { problems.append("portal_loyalty_error_limit") }
        let from = trimmed("active_from").isEmpty ? .some(nil) : CalendarDate(trimmed("active_from")).map(Self.midnight)
        let until = trimmed("active_until").isEmpty ? .some(nil) : CalendarDate(trimmed("active_until")).map(Self.midnight)
        if from == nil || until == nil { problems.append("portal_loyalty_error_dates") }
        if let start = from ?? nil, let end = until ?? nil, end <= start { problems.append("portal_loyalty_error_dates") }
        var names: [Language: (name: String, description: String)] = [:]
        for other in Language.allCases {
            let name = trimmed("name_\(other.rawValue)")
            let description = trimmed("description_\(other.rawValue)")
            guard !name.isEmpty else { continue }
            if name.count > 200 || description.count > 4000 { problems.append("portal_loyalty_error_name") }
            names[other] = (name, description)
        }
        let defaultLanguage = Language(rawValue: fields["default_language"] ?? "") ?? language
        if names[defaultLanguage] == nil { problems.append("portal_loyalty_error_name") }
        guard problems.isEmpty, let cost, let stock, let limit, let from, let until else { return (nil, Array(Set(problems)).sorted()) }
        return (RewardStore.Draft(
            pointCost: cost, stock: stock, perWalletLimit: limit, activeFrom: from, activeUntil: until,
            defaultLanguage: defaultLanguage, names: names), [])
    }

    /// Takes a PNG, JPEG or WebP picture of at most 2 MB, told by its bytes.
    @Sendable func uploadImage(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageLoyalty)
        var request = request
        guard PortalUpload.isMultipart(request) else { throw PublicError.badRequest }
        let upload = try await PortalUpload.read(&request)
        guard let id = context.parameters.get("id").flatMap(Int64.init),
              let reward = try await rewards.reward(brandID: context.manager.brandID, id: id)
        else { throw PublicError.notFound }
        let problem: (String, HTTPResponse.Status)?
        if let file = upload.files["image"], file.bytes.readableBytes > 0 {
            let bytes = Array(file.bytes.readableBytesView)
            if bytes.count > ImageFormat.maximumBytes {
                problem = ("portal_image_too_large", .contentTooLarge)
            } else if let format = ImageFormat(detecting: bytes) {
                _ = try await rewards.setImage(brandID: context.manager.brandID, id: id, bytes: bytes, format: format, actor: context.manager.auditActor)
                problem = nil
            } else {
                problem = ("portal_image_format", .unsupportedMediaType)
            }
        } else {
            problem = ("portal_image_missing", .unprocessableContent)
        }
        guard let (key, status) = problem else { return Redirect(location: "/portal/loyalty/rewards/\(id)").response }
        return renderReward(
            request, context: context, id: id, imageURL: reward.imageURL, fields: Self.fields(of: reward), problems: [key], status: status)
    }

    @Sendable func removeImage(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageLoyalty)
        guard let id = context.parameters.get("id").flatMap(Int64.init),
              try await rewards.removeImage(brandID: context.manager.brandID, id: id, actor: context.manager.auditActor)
        else { throw PublicError.notFound }
        return Redirect(location: "/portal/loyalty/rewards/\(id)").response
    }

    /// Customer service's correction: points added or taken back, with a reason, in the ledger.
    @Sendable func adjust(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageLoyalty)
        var request = request
        let fields = try await PortalForm.fields(&request)
        guard let terms = try await programme.terms(brandID: context.manager.brandID) else { throw PublicError.notFound }
        let adjustment: PointsAdjustment
        switch PointsAdjustment.check(wallet: fields["wallet"] ?? "", points: fields["points"] ?? "", reason: fields["reason"] ?? "") {
        case .failure(let problem):
            return try await render(request, context: context, terms: terms, problems: [problem.localizationKey], status: .unprocessableContent, draft: fields)
        case .success(let checked):
            adjustment = checked
        }
        do {
            let balance = try await loyalty.adjust(adjustment, brandID: context.manager.brandID, actor: context.manager.auditActor)
            let strings = page.renderer.strings(PortalPage.language(for: request, manager: context.manager))
            return try await render(
                request, context: context, terms: terms, problems: [],
                confirmation: strings.format("portal_loyalty_adjusted", ["wallet": String(adjustment.walletID), "points": String(balance)]))
        } catch let problem as PointsAdjustment.Problem {
            let status: HTTPResponse.Status = problem == .unknownWallet ? .notFound : .conflict
            return try await render(request, context: context, terms: terms, problems: [problem.localizationKey], status: status, draft: fields)
        }
    }

    static func fields(of reward: RewardStore.Reward) -> [String: String] {
        let day = { (date: Date) in date.formatted(.iso8601.year().month().day()) }
        var fields: [String: String] = [
            "point_cost": String(reward.pointCost), "stock": reward.stock.map(String.init) ?? "",
            "per_wallet_limit": reward.perWalletLimit.map(String.init) ?? "", "active_from": reward.activeFrom.map(day) ?? "",
            "active_until": reward.activeUntil.map(day) ?? "", "default_language": reward.defaultLanguage.rawValue,
        ]
        for (language, text) in reward.names {
            fields["name_\(language.rawValue)"] = text.name
            fields["description_\(language.rawValue)"] = text.description
        }
        return fields
    }

    private func renderReward(
        _ request: Request, context: PortalContext, id: Int64, imageURL: String?, fields: [String: String], problems: [String],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        var pageContext: [String: Any] = [
            "id": id,
            "errors": problems.map { strings[$0] },
            "draft": fields,
            "draftLanguages": Self.languageFields(fields, renderer: page.renderer, fallback: language),
        ]
        if let imageURL { pageContext["imageURL"] = imageURL }
        return page.render("loyalty-reward", request: request, session: context.session, active: .loyalty, context: pageContext, status: status)
    }

    static func languageFields(_ draft: [String: String], renderer: PageRenderer, fallback: Language) -> [[String: Any]] {
        Language.allCases.map { other -> [String: Any] in
            [
                "code": other.rawValue, "languageName": renderer.strings(other)["language_name"],
                "name": draft["name_\(other.rawValue)"] ?? "", "description": draft["description_\(other.rawValue)"] ?? "",
                "isDefault": other == (Language(rawValue: draft["default_language"] ?? "") ?? fallback),
            ]
        }
    }

    @Sendable func archive(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageLoyalty)
        var request = request
        let fields = try await PortalForm.fields(&request)
        guard let id = context.parameters.get("id").flatMap(Int64.init),
              try await rewards.setArchived(
                brandID: context.manager.brandID, id: id, archived: fields["archived"] != "false", actor: context.manager.auditActor)
        else { throw PublicError.notFound }
        return Redirect(location: "/portal/loyalty#rewards").response
    }

    @Sendable func cancel(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageLoyalty)
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw PublicError.notFound }
        let who = "\(context.manager.email) (\(context.manager.role.rawValue))"
        guard try await redemptions.cancel(brandID: context.manager.brandID, id: id, by: who, actor: context.manager.auditActor) != nil
        else {
            // Unknown, another brand's, or no longer issued: nothing was refunded.
            throw PublicError.notFound
        }
        return Redirect(location: "/portal/loyalty#redemptions").response
    }

    @Sendable func export(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.read)
        let list = try await programme.redemptions(brandID: context.manager.brandID, filter: Self.filter(request), limit: 100_000)
        let names = try await rewardNames(context: context)
        var text = CSVRecord.line(["voucher", "reward_id", "reward", "points", "status", "issued_at", "used_at", "used_by"]) + "\n"
        for redemption in list {
            text += CSVRecord.line([
                redemption.code.description, String(redemption.rewardID), names[redemption.rewardID] ?? "", String(redemption.points),
                redemption.status.rawValue, Self.timestamp(redemption.createdAt), redemption.usedAt.map(Self.timestamp) ?? "",
                redemption.usedBy ?? "",
            ], neutralizingFormulas: true) + "\n"
        }
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8",
            .contentDisposition: "attachment; filename=\"redemptions.csv\"",
            .cacheControl: "no-store",
        ], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func render(
        _ request: Request, context: PortalContext, terms: LoyaltyTerms, problems: [String], notice: Bool = false,
        confirmation: String? = nil, status: HTTPResponse.Status = .ok, draft: [String: String] = [:]
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let brandID = context.manager.brandID
        let totals = try await programme.totals(brandID: brandID)
        let catalogue = try await rewards.rewards(brandID: brandID, includeArchived: true)
        let names = Dictionary(uniqueKeysWithValues: catalogue.map { ($0.id, $0.text(in: language).name) })
        let filter = Self.filter(request)
        let list = try await programme.redemptions(brandID: brandID, filter: filter)
        let canEdit = context.manager.role.allows(.manageLoyalty)
        let day = { (date: Date) in date.formatted(.iso8601.year().month().day()) }
        return page.render("loyalty", request: request, session: context.session, active: .loyalty, context: [
            "saved": notice,
            "confirmation": confirmation ?? "",
            "errors": problems.map { strings[$0] },
            "totals": [
                ["label": strings["portal_loyalty_issued"], "value": String(totals.issued)],
                ["label": strings["portal_loyalty_redeemed"], "value": String(totals.redeemed - totals.refunded)],
                ["label": strings["portal_loyalty_expired"], "value": String(totals.expired)],
                ["label": strings["portal_loyalty_outstanding"], "value": String(totals.outstanding)],
                ["label": strings["portal_loyalty_wallets"], "value": String(totals.wallets)],
            ],
            "topRewards": totals.topRewards.map { ["name": names[$0.rewardID] ?? "#\($0.rewardID)", "count": String($0.redemptions)] },
            "canManageBrand": context.manager.role.allows(.manageBrand),
            "canEdit": canEdit,
            "terms": [
                "enabled": terms.enabled, "points": String(terms.defaultPoints), "dailyClaims": String(terms.dailyClaims),
                "gap": String(terms.claimGapSeconds), "expiryDays": terms.expiryDays.map(String.init) ?? "",
            ] as [String: Any],
            "rewards": catalogue.map { reward -> [String: Any] in
                [
                    "id": reward.id, "name": reward.text(in: language).name, "cost": String(reward.pointCost),
                    "stock": reward.stock.map(String.init) ?? strings["portal_loyalty_unlimited"],
                    "limit": reward.perWalletLimit.map(String.init) ?? "",
                    "dates": [reward.activeFrom.map(day), reward.activeUntil.map(day)].compactMap { $0 }.joined(separator: " → "),
                    "archived": reward.archived, "archiveValue": reward.archived ? "false" : "true",
                    "archiveLabel": strings[reward.archived ? "portal_loyalty_restore" : "portal_loyalty_archive"],
                    "canEdit": canEdit,
                ]
            },
            "draftLanguages": Self.languageFields(draft, renderer: page.renderer, fallback: language),
            "draft": draft,
            "statusOptions": [RedemptionStore.Status.issued, .used, .cancelled].map {
                ["code": $0.rawValue, "label": strings["portal_loyalty_status_\($0.rawValue)"], "selected": $0 == filter.status]
            },
            "rewardOptions": catalogue.map { ["id": $0.id, "name": names[$0.id] ?? "", "selected": $0.id == filter.rewardID] },
            "exportQuery": request.uri.query ?? "",
            "redemptions": list.map { redemption -> [String: Any] in
                [
                    "id": redemption.id, "code": redemption.code.description, "reward": names[redemption.rewardID] ?? "",
                    "points": String(redemption.points), "status": strings["portal_loyalty_status_\(redemption.status.rawValue)"],
                    "issued": day(redemption.createdAt), "used": [redemption.usedAt.map(day), redemption.usedBy].compactMap { $0 }.joined(separator: " · "),
                    "cancellable": canEdit && redemption.status == .issued,
                ]
            },
        ], status: status)
    }

    /// Each reward's name in its own default language.
    private func rewardNames(context: PortalContext) async throws -> [Int64: String] {
        Dictionary(uniqueKeysWithValues: try await rewards.rewards(brandID: context.manager.brandID, includeArchived: true)
            .map { ($0.id, $0.text(in: $0.defaultLanguage).name) })
    }

    private static func filter(_ request: Request) -> LoyaltyProgrammeStore.Filter {
        LoyaltyProgrammeStore.Filter(
            status: request.uri.queryParameters["status"].flatMap { RedemptionStore.Status(rawValue: String($0)) },
            rewardID: request.uri.queryParameters["reward"].flatMap { Int64(String($0)) })
    }

    private static func midnight(_ date: CalendarDate) -> Date {
        ISO8601DateFormatter().date(from: "\(date.description)T00:00:00Z") ?? Date(timeIntervalSince1970: 0)
    }

    private static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}

extension PointsAdjustment.Problem {
    var localizationKey: String {
        switch self {
        case .wallet, .unknownWallet: "portal_loyalty_error_adjust_wallet"
        case .points: "portal_loyalty_error_adjust_points"
        case .reason: "portal_loyalty_error_adjust_reason"
        case .wouldGoNegative: "portal_loyalty_error_adjust_negative"
        }
    }
}
