import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import PostgresNIO
import SignetCore

/// The public GS1 Digital Link routes: `/01/{gtin}[/22/..][/10/{lot}][/21/{serial}]`.
struct ScanController: Sendable {
    let database: PostgresClient
    let catalogue: CatalogueCache
    /// Product articles, by product, lot and language.
    let fragments = RenderCache<ProductFragmentKey, String>(capacity: 10_000)
    /// Whole scan pages with holes, by product, lot, language and verdict.
    let skeletons = RenderCache<ScanPageSkeleton.Key, ScanPageSkeleton>(capacity: 10_000)
    let renderer: PageRenderer
    let countries: CountryResolver
    let clientAddresses: ClientAddressResolver
    let secureCookies: Bool
    let scanCounter: ScanMetrics
    let visitorKey: VisitorKey
    /// Scans and product pages per client address.
    let rateLimit: RateLimit<IPAddress>
    /// "Report a problem" on scans that did not say genuine.
    let reportLinks: ReportLink
    /// "Claim N points" on genuine first scans of brands with a loyalty programme.
    let claimTokens: ClaimToken.Signer
    /// The brands' NFC master keys, from the operator's key file.
    let nfcKeys: NFCKeyRing
    /// How long a scan waits for the database before answering 503.
    static let databaseWait: Duration = .seconds(6)
    /// Verifies tokens for GTINs no brand owns, so they cost the same HMAC as real ones.
    let unknownProductKey = SymmetricKey(size: .bits256)

    /// What proves a scan: a QR code's token, an NFC tag's secure message, or
    /// the check code a consumer typed from under a damaged QR code.
    enum Credential {
        case token(String)
        case tap(SUNParameters)
        case typed(String)

        /// A token when the query has one (a QR scan, which then looks no
        /// further); otherwise a tap when the query carries a secure message
        /// (under the brand's parameter names, or those of NXP's application
        /// note); otherwise an empty token, which no seal has.
        init(query: String?, token: String?, names: SUNParameters.Names) {
            if let token {
                self = .token(SealToken.plausible(token))
                return
            }
            let text = Substring(query ?? "")
            var applicationNote = SUNParameters.Names.applicationNote
            applicationNote.macInputStart = names.macInputStart
            if let tap = SUNParameters(query: text, names: names) ?? SUNParameters(query: text, names: applicationNote) {
                self = .tap(tap)
            } else {
                self = .token(SealToken.plausible(""))
            }
        }

        /// The consultation's `channel`.
        var channel: String {
            switch self {
            case .token: "qr"
            case .tap: "nfc"
            case .typed: "typed"
            }
        }
    }

    /// The page a Digital Link is served with in place: the seal's verification
    /// for a serial, the product's page otherwise. `query` is the request's, or
    /// the one a compressed link carried.
    func page(
        link: DigitalLink, query: DigitalLinkQuery, typedCode: String? = nil, request: Request, context: SignetRequestContext
    ) async throws -> Response {
        let languageParameter = query.value(of: "lang")
        // The link's query is the request's own but for compressed links and typed codes:
        // already parsed then, so it is not parsed again.
        let preferences = query.text == request.uri.query
            ? LanguagePreferences(request: request, query: query) : LanguagePreferences(request: request)

        var response: Response
        if link.serial != nil, LinkPreviewAgent.isPreview(userAgent: request.headers[.userAgent]) {
            // A shared scan URL being unfurled: the product, never the seal's verdict or a consultation.
            scanCounter.recordPreview()
            response = try productPage(link: link, query: query.text, preferences: preferences, preview: true)
        } else if let serial = link.serial {
            let client = clientAddresses.clientAddress(
                peer: context.remoteAddress?.signetIPAddress,
                forwardedFor: request.headers[values: .xForwardedFor])
            response = try await scan(
                link: link, serial: serial, query: query, typedCode: typedCode, preferences: preferences, client: client,
                request: request, context: context)
        } else {
            response = try productPage(link: link, query: query.text, preferences: preferences)
        }
        response.headers[.cacheControl] = "no-store"
        if let languageParameter, let language = Language(tag: languageParameter) {
            response.setCookie(LanguagePreferences.cookie(for: language, secure: secureCookies))
        }
        return response
    }

    /// Scans and product pages per client address; the resolver asks before answering anything.
    func checkRateLimit(_ request: Request, context: SignetRequestContext) throws {
        let client = clientAddresses.clientAddress(
            peer: context.remoteAddress?.signetIPAddress,
            forwardedFor: request.headers[values: .xForwardedFor])
        do {
            try rateLimit.check(client?.unmappingIPv4)
        } catch {
            scanCounter.recordRateLimited()
            throw error
        }
    }

    private func scan(
        link: DigitalLink, serial: String, query: DigitalLinkQuery, typedCode: String?, preferences: LanguagePreferences,
        client: IPAddress?, request: Request, context: SignetRequestContext
    ) async throws -> Response {
        let catalogue = catalogue.snapshot
        let product = catalogue.product(gtin: link.gtin.digits)
        let brand = product.flatMap { catalogue.brands[$0.brandID] }
        let credential = typedCode.map(Credential.typed)
            ?? Credential(query: query.text, token: query.value(of: "t"), names: brand?.nfcParameters ?? SUNParameters.Names())
        let tap: TapVerification.Tap?
        let tokenValid: Bool
        switch credential {
        case .token(let token):
            tap = nil
            tokenValid = SealToken.isValid(token, gtin: link.gtin, serial: serial, key: brand?.sealKey ?? unknownProductKey)
        case .tap(let parameters):
            switch TapVerification.verify(parameters, masters: brand.map { nfcKeys.masters(brand: $0.slug) } ?? []) {
            case .success(let verified):
                tap = verified
            case .failure(let reason):
                tap = nil
                context.logger.debug("nfc tap refused", metadata: ["reason": "\(reason.rawValue)"])
            }
            tokenValid = tap != nil
        case .typed(let code):
            tap = nil
            tokenValid = SealCheckCode.isValid(code, gtin: link.gtin, serial: serial, key: brand?.sealKey ?? unknownProductKey)
        }
        let productLanguage = preferences.choose(among: product?.languages ?? [], productDefault: product?.defaultLanguage)
        let now = Date()
        let visitor = visitorKey.fingerprint(address: client, userAgent: request.headers[.userAgent], now: now.timeIntervalSince1970)
        let lotID = link.lot.map { code in
            product.flatMap { catalogue.lot(productID: $0.id, code: code)?.id } ?? ScanStatement.unknownLot
        }
        let flagged = product.map { catalogue.flaggedLots(productID: $0.id, lotID: lotID, on: CalendarDate(utcDayOf: now)) }
        let statement = ScanStatement(
            productID: product?.id,
            brandID: product?.brandID,
            gtin: link.gtin.digits,
            serial: serial,
            tokenValid: tokenValid,
            lotID: lotID,
            lotScanned: link.lot,
            recalledLotIDs: flagged?.recalled ?? [],
            expiredLotIDs: flagged?.expired ?? [],
            country: countries.country(for: client),
            productLanguage: productLanguage,
            counterfeitLanguage: preferences.choose(among: Language.allCases, productDefault: nil),
            requestedLanguage: preferences.requested,
            channel: credential.channel,
            visitor: visitor,
            sessionLimit: brand?.sessionLimit ?? .max,
            sessionMinutes: brand?.sessionMinutes ?? 30,
            // Half a second before the visitor is told to try again: time to commit and answer.
            deadline: now.addingTimeInterval(Double(Self.databaseWait.components.seconds) - 0.5))

        let database = database
        let logger = context.logger
        let scanned = try await withDatabaseDeadline(Self.databaseWait) {
            // A refused tap needs no tag: it is judged counterfeit by the QR statement.
            if let tap { return try await Self.run(NFCScanStatement(scan: statement, tap: tap), on: database, logger: logger) }
            return try await Self.run(statement, on: database, logger: logger)
        }

        let decided = VerdictRules.decide(scanned.facts)
        if decided != scanned.verdict {
            context.logger.error("verdict rules in SQL and Swift disagree", metadata: [
                "sql": "\(scanned.verdict.rawValue)", "swift": "\(decided.rawValue)", "consultation": "\(scanned.consultationID)",
            ])
        }
        scanCounter.record(scanned.verdict)
        context.logger.debug("scan", metadata: [
            "verdict": "\(scanned.verdict.rawValue)", "consultation": "\(scanned.consultationID)",
        ])

        let language = scanned.verdict == .counterfeit ? statement.counterfeitLanguage : productLanguage
        var claimPoints: Int?
        var claimToken: String?
        if scanned.verdict == .genuineFirst, let product, let terms = brand?.loyalty, terms.enabled {
            let points = terms.points(forProduct: product.loyaltyPoints)
            if points > 0 {
                claimPoints = points
                claimToken = claimTokens.sign(ClaimToken(
                    consultationID: scanned.consultationID, productID: product.id, serial: serial,
                    issuedAt: Int64(Date().timeIntervalSince1970)))
            }
        }
        let lot = scanned.lotID.flatMap(catalogue.lot(id:))
        // The values of this scan alone; the product's texts and lot are only
        // needed when a skeleton is rendered, once per catalogue version.
        let outcome = ScanOutcome(
            verdict: scanned.verdict,
            supportEmail: brand?.supportEmail,
            language: language,
            consultationID: scanned.consultationID,
            facts: scanned.facts,
            firstScannedOn: scanned.firstScannedAt.map { $0.formatted(.iso8601.year().month().day()) },
            firstCountry: scanned.firstCountry,
            countries: scanned.countries,
            lotExpiresOn: lot?.expiresOn,
            reportFormURL: brand != nil && scanned.verdict != .genuineFirst && scanned.verdict != .genuineSeen
                ? reportLinks.path(consultationID: scanned.consultationID, language: language) : nil,
            claimPoints: claimPoints,
            claimToken: claimToken,
            product: nil,
            lot: nil)
        let view = ScanPageView(renderer: renderer, outcome: outcome, gtin: link.gtin, serial: serial, query: query.text)
        let recallID = scanned.verdict == .recalled && lot?.recalled != true ? scanned.recallID : nil
        let skeletonKey = ScanPageSkeleton.Key(
            productID: product?.id, lotID: lot?.id, language: language, verdict: scanned.verdict, recallID: recallID)
        let skeleton = skeletons.value(for: skeletonKey, version: catalogue.version) {
            var whole = outcome
            whole.product = product?.text(in: language, brand: brand)
            whole.lot = lot.map { $0.facts(in: language, productDefault: product?.defaultLanguage ?? .en) }
            if scanned.verdict == .recalled {
                whole.recallNotice = recallID.flatMap(catalogue.recall(id:))?
                    .notice(in: language, productDefault: product?.defaultLanguage ?? .en) ?? whole.lot?.recallNotice
            }
            var productHTML: String?
            if let product, let text = whole.product, scanned.verdict.showsProduct {
                let key = ProductFragmentKey(productID: product.id, lotID: lot?.id, language: language)
                productHTML = fragments.value(for: key, version: catalogue.version) {
                    ScanPage(renderer: renderer, language: language).productHTML(text, gtin: link.gtin, lot: whole.lot)
                }
            }
            return ScanPageView(renderer: renderer, outcome: whole, gtin: link.gtin, serial: serial, query: query.text)
                .skeleton(productHTML: productHTML)
        }
        return renderer.response(skeleton.filled(view.perScan), language: language)
    }

    private static func run<Statement: PostgresPreparedStatement>(
        _ statement: Statement, on database: PostgresClient, logger: Logger
    ) async throws -> ScanStatement.Row where Statement.Row == ScanStatement.Row {
        var scanned: ScanStatement.Row?
        for try await row in try await database.execute(statement, logger: logger) {
            scanned = row
        }
        guard let scanned else { throw ScanStatementError.noRow }
        return scanned
    }

    /// `/01/{gtin}` and `/01/{gtin}/10/{lot}`: the product's page from memory;
    /// it verifies nothing and records nothing. `preview`: a seal's URL fetched
    /// by a link preview agent, told to open the link to verify the seal.
    private func productPage(
        link: DigitalLink, query: String?, preferences: LanguagePreferences, preview: Bool = false
    ) throws -> Response {
        let catalogue = catalogue.snapshot
        guard let product = catalogue.product(gtin: link.gtin.digits), !product.translations.isEmpty else {
            throw PublicError.notFound
        }
        var lot: CachedLot?
        if let code = link.lot {
            guard let found = catalogue.lot(productID: product.id, code: code) else { throw PublicError.notFound }
            lot = found
        }
        let brand = catalogue.brands[product.brandID]
        let language = preferences.choose(among: product.languages, productDefault: product.defaultLanguage)
        guard let text = product.text(in: language, brand: brand) else { throw PublicError.notFound }
        let lotFacts = lot?.facts(in: language, productDefault: product.defaultLanguage)

        let page = ScanPage(renderer: renderer, language: language)
        let key = ProductFragmentKey(productID: product.id, lotID: lot?.id, language: language)
        var pageContext: [String: Any] = [
            "productHTML": fragments.value(for: key, version: catalogue.version) {
                page.productHTML(text, gtin: link.gtin, lot: lotFacts)
            },
            "verdict": preview ? page.previewContext() : page.unverifiedContext(),
            "languages": renderer.languageLinks(product.languages, current: language, query: query),
        ]
        if lot?.recalled == true {
            pageContext["verdict"] = page.verdictContext(.recalled, outcome: nil)
            pageContext["recallNotice"] = lotFacts?.recallNotice
        }
        pageContext["reportURL"] = page.reportURL(email: brand?.supportEmail, gtin: link.gtin, serial: nil)
        return renderer.page("scan", language: language, context: pageContext)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
