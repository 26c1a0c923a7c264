import Foundation
import HTTPTypes
import Hummingbird
import SignetCore

/// The consumer's side of loyalty, on pages of its own (the product page
/// stays free of personal data): claim a scan's points, see balances,
/// history and rewards, redeem, show a voucher. A wallet starts on the first
/// claim as a device wallet: a random token in a long-lived cookie.
struct WalletController: Sendable {
    let wallets: WalletStore
    let loyalty: LoyaltyStore
    let rewards: RewardStore
    let redemptions: RedemptionStore
    let privacy: WalletPrivacyStore
    let catalogue: CatalogueCache
    let claimTokens: ClaimToken.Signer
    let clientAddresses: ClientAddressResolver
    /// Claims per client address: a person claims a few scans a minute; a
    /// script without cookies would otherwise make a wallet per request.
    let claimRateLimit: RateLimit<IPAddress>
    let renderer: PageRenderer
    let secureCookies: Bool
    /// With SMTP configured, the page offers a sign-in link by e-mail.
    let offersSignInLinks: Bool

    static let cookieName = "signet_wallet"

    func addRoutes(to router: Router<SignetRequestContext>) {
        router.get("wallet", use: show)
        router.post("wallet/claim", use: claim)
        router.post("wallet/redeem", use: redeem)
        router.get("wallet/vouchers/:code", use: voucher)
        router.get("wallet/data", use: download)
        router.post("wallet/delete", use: delete)
    }

    /// "Download my data": everything held about this device's wallet, as JSON.
    @Sendable func download(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let wallet = try await currentWallet(request) else { throw PublicError.notFound }
        return Response(status: .ok, headers: [
            .contentType: "application/json; charset=utf-8",
            .contentDisposition: "attachment; filename=\"signet-wallet.json\"",
            .cacheControl: "no-store",
        ], body: .init(byteBuffer: ByteBuffer(string: try await privacy.export(walletID: wallet.id))))
    }

    /// "Delete my wallet", once confirmed: see `WalletPrivacyStore.erase`.
    @Sendable func delete(_ request: Request, context: SignetRequestContext) async throws -> Response {
        try Self.refuseCrossSite(request)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let language = Self.language(request)
        guard let wallet = try await currentWallet(request) else { return Redirect(location: "/wallet").response }
        guard fields["confirm"] == "yes" else {
            return try await page(
                wallet: wallet, language: language, message: (renderer.strings(language)["wallet_delete_unconfirmed"], true),
                status: .unprocessableContent)
        }
        try await privacy.erase(walletID: wallet.id)
        var response = Redirect(location: "/wallet?deleted=1").response
        response.setCookie(expiredCookie)
        return response
    }

    @Sendable func show(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let language = Self.language(request)
        let wallet = try await currentWallet(request)
        var message: (text: String, problem: Bool)?
        let strings = renderer.strings(language)
        if let earned = request.uri.queryParameters["earned"].flatMap({ Int(String($0)) }), earned > 0 {
            message = (strings.format("wallet_claimed", ["points": String(earned)]), false)
        } else if request.uri.queryParameters["earned"] == "again" {
            message = (strings["wallet_claimed_already"], false)
        } else if request.uri.queryParameters["account"] == "saved", wallet?.email != nil {
            message = (strings["wallet_account_saved"], false)
        } else if request.uri.queryParameters["signed-in"] != nil, wallet?.email != nil {
            message = (strings["wallet_signed_in"], false)
        } else if request.uri.queryParameters["deleted"] != nil, wallet == nil {
            message = (strings["wallet_deleted"], false)
        }
        return try await page(wallet: wallet, language: language, message: message)
    }

    @Sendable func claim(_ request: Request, context: SignetRequestContext) async throws -> Response {
        try Self.refuseCrossSite(request)
        let client = clientAddresses.clientAddress(
            peer: context.remoteAddress?.signetIPAddress, forwardedFor: request.headers[values: .xForwardedFor])
        try claimRateLimit.check(client?.unmappingIPv4)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let language = Self.language(request)
        guard let token = claimTokens.verify(fields["token"] ?? "", now: Int64(Date().timeIntervalSince1970)) else {
            let wallet = try await currentWallet(request)
            return try await page(
                wallet: wallet, language: language, message: (renderer.strings(language)["wallet_claim_invalid"], true),
                status: .badRequest)
        }
        var (wallet, newToken) = (try await currentWallet(request), String?.none)
        if wallet == nil {
            let created = try await wallets.createDeviceWallet(language: language)
            (wallet, newToken) = (created.0, created.token)
        }
        guard let wallet else { throw PublicError.internalError }
        let outcome = try await loyalty.claim(token, walletID: wallet.id)
        var response: Response
        switch outcome {
        case .awarded(let points, _, _):
            response = Redirect(location: "/wallet?earned=\(points)").response
        case .alreadyAwarded:
            response = Redirect(location: "/wallet?earned=again").response
        case .refused(let refusal):
            let status: HTTPResponse.Status = switch refusal {
            case .sealAlreadyClaimed: .conflict
            case .dailyLimit, .tooSoon: .tooManyRequests
            case .programmeOff, .notGenuineFirst, .noPoints: .unprocessableContent
            }
            response = try await page(
                wallet: wallet, language: language,
                message: (renderer.strings(language)["wallet_refused_\(refusal.rawValue)"], true), status: status)
        }
        if let newToken { response.setCookie(walletCookie(newToken)) }
        return response
    }

    @Sendable func redeem(_ request: Request, context: SignetRequestContext) async throws -> Response {
        try Self.refuseCrossSite(request)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let language = Self.language(request)
        guard let wallet = try await currentWallet(request) else { return Redirect(location: "/wallet").response }
        guard let rewardID = fields["reward"].flatMap(Int64.init), let brandID = fields["brand"].flatMap(Int64.init) else {
            throw PublicError.badRequest
        }
        let key = request.headers[.idempotencyKey] ?? fields["idempotency_key"] ?? ""
        guard (1...255).contains(key.utf8.count) else { throw PublicError.badRequest }
        do {
            let redemption = try await redemptions.redeem(walletID: wallet.id, brandID: brandID, rewardID: rewardID, idempotencyKey: key)
            return Redirect(location: "/wallet/vouchers/\(redemption.code.normalized)").response
        } catch let refusal as RedemptionRules.Refusal {
            let status: HTTPResponse.Status = refusal == .notEnoughPoints || refusal == .walletLimit ? .conflict : .unprocessableContent
            return try await page(
                wallet: wallet, language: language,
                message: (renderer.strings(language)["wallet_redeem_\(refusal.rawValue)"], true), status: status)
        }
    }

    @Sendable func voucher(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let language = Self.language(request)
        guard let wallet = try await currentWallet(request),
              let code = context.parameters.get("code").flatMap(VoucherCode.init(reading:)),
              let redemption = try await redemptions.voucher(walletID: wallet.id, code: code)
        else { throw PublicError.notFound }
        let strings = renderer.strings(language)
        let reward = try await rewards.reward(brandID: redemption.brandID, id: redemption.rewardID)
        let status = switch redemption.status {
        case .issued: strings["voucher_status_issued"]
        case .used: strings.format("voucher_status_used", ["date": redemption.usedAt.map(Self.day) ?? ""])
        case .cancelled: strings["voucher_status_cancelled"]
        }
        return renderer.page("voucher", language: language, context: [
            "reward": reward?.text(in: language).name ?? "",
            "brand": catalogue.snapshot.brands[redemption.brandID]?.name ?? "",
            "code": redemption.code.description,
            // What a shop's scanner reads: the code alone, without separators.
            "qr": QRCodeSVG.make(redemption.code.normalized) ?? "",
            "status": status,
            "statusCode": redemption.status.rawValue,
        ], extraHeaders: [.cacheControl: "no-store"])
    }

    /// The wallet page with one of the localized problems on top.
    func page(wallet: WalletStore.Wallet?, language: Language, problem: String, status: HTTPResponse.Status) async throws -> Response {
        try await page(wallet: wallet, language: language, message: (renderer.strings(language)[problem], true), status: status)
    }

    func page(
        wallet: WalletStore.Wallet?, language: Language, message: (text: String, problem: Bool)?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let strings = renderer.strings(language)
        var context: [String: Any] = ["offersSignInLinks": offersSignInLinks]
        if let message { context["message"] = ["text": message.text, "problem": message.problem] }
        if let wallet {
            let snapshot = catalogue.snapshot
            let now = Date()
            var brands: [[String: Any]] = []
            for balance in try await loyalty.balances(walletID: wallet.id) {
                var offers: [[String: Any]] = []
                for reward in try await rewards.rewards(brandID: balance.brandID) where reward.isActive(at: now) {
                    let text = reward.text(in: language)
                    let outOfStock = reward.stock.map { $0 <= 0 } ?? false
                    var offer: [String: Any] = [
                        "id": reward.id, "brandID": balance.brandID, "name": text.name,
                        "redeemable": !outOfStock && balance.points >= reward.pointCost,
                        "redeemText": strings.format("wallet_redeem", ["points": String(reward.pointCost)]),
                        "unavailableText": outOfStock
                            ? strings["wallet_out_of_stock"]
                            : strings.format("wallet_points_needed", ["points": String(reward.pointCost)]),
                        // A new key per page: a form sent twice is one redemption, two visits are two.
                        "idempotencyKey": SecretToken.generate(byteCount: 16),
                    ]
                    if let url = reward.imageURL { offer["imageURL"] = url }
                    if !text.description.isEmpty { offer["description"] = text.description }
                    if let stock = reward.stock, stock > 0 { offer["stockText"] = strings.format("wallet_stock_left", ["count": String(stock)]) }
                    offers.append(offer)
                }
                var entry: [String: Any] = [
                    "brandID": balance.brandID, "brand": balance.brandName,
                    "pointsText": strings.format("wallet_points", ["points": String(balance.points)]),
                    "rewards": offers,
                ]
                if let date = balance.expiresOn { entry["expires"] = strings.format("wallet_expires", ["date": date]) }
                brands.append(entry)
            }
            context["balances"] = brands
            context["history"] = try await loyalty.history(walletID: wallet.id).map { entry -> [String: Any] in
                let product = entry.productID.flatMap(snapshot.product(id:))
                let productName = product.flatMap { $0.text(in: language, brand: nil)?.name }
                return [
                    "on": entry.on,
                    "kind": strings["wallet_kind_\(entry.kind)"],
                    "what": [entry.brandName, productName].compactMap { $0 }.joined(separator: " · "),
                    "points": entry.points > 0 ? "+\(entry.points)" : "\(entry.points)",
                ]
            }
            var vouchers: [[String: Any]] = []
            for redemption in try await redemptions.redemptions(walletID: wallet.id) {
                let reward = try await rewards.reward(brandID: redemption.brandID, id: redemption.rewardID)
                vouchers.append([
                    "code": redemption.code.description,
                    "url": "/wallet/vouchers/\(redemption.code.normalized)",
                    "reward": reward?.text(in: language).name ?? "",
                    "status": strings["voucher_status_\(redemption.status.rawValue)"]
                        .replacingOccurrences(of: "{date}", with: redemption.usedAt.map(Self.day) ?? ""),
                ])
            }
            context["vouchers"] = vouchers
            context["hasWallet"] = true
            context["walletNumber"] = strings.format("wallet_number", ["number": String(wallet.id)])
            if let email = wallet.email { context["signedInAs"] = strings.format("wallet_signed_in_as", ["email": email]) }
        }
        return renderer.page("wallet", language: language, context: context, status: status, extraHeaders: [.cacheControl: "no-store"])
    }

    func currentWallet(_ request: Request) async throws -> WalletStore.Wallet? {
        guard let token = request.cookies[Self.cookieName]?.value, !token.isEmpty, token.utf8.count <= 64 else { return nil }
        return try await wallets.resume(token: String(token))
    }

    /// Two years: a device wallet lives as long as its cookie.
    func walletCookie(_ token: String) -> Cookie {
        Cookie(name: Self.cookieName, value: token, maxAge: 2 * 365 * 24 * 3600, path: "/wallet",
               secure: secureCookies, httpOnly: true, sameSite: .lax)
    }

    var expiredCookie: Cookie {
        Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/wallet", secure: secureCookies, httpOnly: true, sameSite: .lax)
    }

    static func language(_ request: Request) -> Language {
        LanguagePreferences(request: request).choose(among: Language.allCases, productDefault: nil)
    }

    private static func day(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day())
    }

    /// A wallet's forms are posted from Signet's own pages only: a form on
    /// another site must not spend someone's points. Browsers say where a
    /// request comes from (`Sec-Fetch-Site`, `Origin`); the cookie is
    /// `SameSite=Lax` as well.
    static func refuseCrossSite(_ request: Request) throws {
        if let site = request.headers[.secFetchSite], site == "cross-site" { throw PublicError.forbidden }
        if let origin = request.headers[.origin], origin != "null",
           let host = URL(string: origin)?.host, let authority = request.head.authority,
           host != authority.split(separator: ":").first.map(String.init)
        {
            throw PublicError.forbidden
        }
    }
}

extension HTTPField.Name {
    static let secFetchSite = Self("Sec-Fetch-Site")!
}
