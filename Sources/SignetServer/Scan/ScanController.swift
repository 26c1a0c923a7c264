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
    let renderer: PageRenderer
    let countries: CountryResolver
    let clientAddresses: ClientAddressResolver
    let secureCookies: Bool
    let scanCounter: ScanMetrics
    let visitorKey: VisitorKey
    /// Scans and product pages per client address.
    let rateLimit: PerMinuteRateLimit<IPAddress>

    func addRoutes(to router: Router<SignetRequestContext>) {
        router.get("/01/**", use: digitalLink)
        router.get("/01", use: { _, _ -> Response in throw PublicError.badRequest })
    }

    @Sendable func digitalLink(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let link: DigitalLink
        do {
            link = try DigitalLinkParser.parse(path: request.uri.path)
        } catch {
            context.logger.debug("malformed digital link", metadata: ["reason": "\(error)"])
            throw PublicError.badRequest
        }
        let client = clientAddresses.clientAddress(
            peer: context.remoteAddress?.signetIPAddress,
            forwardedFor: request.headers[values: .xForwardedFor])
        do {
            try rateLimit.check(client?.unmappingIPv4)
        } catch {
            scanCounter.recordRateLimited()
            throw error
        }
        let query = request.uri.queryParameters
        let languageParameter = query["lang"].map(String.init)
        let preferences = LanguagePreferences(request: request)

        var response: Response
        if let serial = link.serial {
            let token = SealToken.plausible(query["t"].map(String.init) ?? "")
            response = try await scan(
                link: link, serial: serial, token: token, preferences: preferences, client: client, request: request, context: context)
        } else {
            response = try await productPage(link: link, preferences: preferences, request: request, context: context)
        }
        response.headers[.cacheControl] = "no-store"
        if let languageParameter, let language = Language(tag: languageParameter) {
            response.setCookie(LanguagePreferences.cookie(for: language, secure: secureCookies))
        }
        return response
    }

    private func scan(
        link: DigitalLink, serial: String, token: String, preferences: LanguagePreferences,
        client: IPAddress?, request: Request, context: SignetRequestContext
    ) async throws -> Response {
        let visitor = visitorKey.fingerprint(
            address: client, userAgent: request.headers[.userAgent], now: Date().timeIntervalSince1970)
        let statement = ScanStatement(
            gtin: link.gtin.digits,
            serial: serial,
            token: token,
            lot: link.lot,
            preferences: preferences.ordered.map(\.rawValue),
            requestedLanguage: preferences.requested,
            country: countries.country(for: client),
            channel: "qr",
            visitor: visitor)

        let database = database
        let logger = context.logger
        let outcome = try await withDatabaseDeadline(.seconds(6)) {
            var outcome: ScanOutcome?
            for try await row in try await database.execute(statement, logger: logger) {
                outcome = row
            }
            guard let outcome else { throw ScanStatementError.noRow }
            return outcome
        }

        let decided = VerdictRules.decide(outcome.facts)
        if decided != outcome.verdict {
            context.logger.error("verdict rules in SQL and Swift disagree", metadata: [
                "sql": "\(outcome.verdict.rawValue)", "swift": "\(decided.rawValue)", "consultation": "\(outcome.consultationID)",
            ])
        }
        scanCounter.record(outcome.verdict)
        context.logger.debug("scan", metadata: [
            "verdict": "\(outcome.verdict.rawValue)", "consultation": "\(outcome.consultationID)",
        ])

        return ScanPageView(
            renderer: renderer, outcome: outcome, gtin: link.gtin, serial: serial, query: request.uri.query
        ).render()
    }

    private func productPage(
        link: DigitalLink, preferences: LanguagePreferences, request: Request, context: SignetRequestContext
    ) async throws -> Response {
        let database = database
        let logger = context.logger
        let query = ProductPageQuery(gtin: link.gtin.digits, lot: link.lot)
        let rows = try await withDatabaseDeadline(.seconds(6)) {
            var rows: [ProductPageQuery.Row] = []
            for try await row in try await database.execute(query, logger: logger) { rows.append(row) }
            return rows
        }
        guard let first = rows.first, let productDefault = Language(rawValue: first.defaultLanguage) else {
            throw PublicError.notFound
        }
        var texts: [Language: ProductPageQuery.Row] = [:]
        for row in rows { if let language = Language(rawValue: row.language) { texts[language] = row } }
        let language = preferences.choose(among: texts.keys, productDefault: productDefault)
        guard let chosen = texts[language] ?? texts[productDefault] ?? rows.first else { throw PublicError.notFound }
        let fallback = texts[productDefault] ?? chosen

        func pick(_ field: KeyPath<ProductPageQuery.Row, String>) -> String {
            chosen[keyPath: field].isEmpty ? fallback[keyPath: field] : chosen[keyPath: field]
        }
        let product = ProductText(
            brandName: first.brandName, imageURL: first.imageURL,
            languages: Array(texts.keys), name: pick(\.name), description: pick(\.description),
            origin: pick(\.origin), composition: pick(\.composition), warnings: pick(\.warnings),
            hazards: pick(\.hazards), allergens: pick(\.allergens), instructions: pick(\.instructions),
            characteristics: chosen.characteristics.isEmpty ? fallback.characteristics : chosen.characteristics)

        let page = ScanPage(renderer: renderer, language: language)
        var pageContext: [String: Any] = [
            "product": page.productContext(product, gtin: link.gtin),
            "verdict": page.unverifiedContext(),
            "languages": renderer.languageLinks(product.languages, current: language, query: request.uri.query),
        ]
        if let code = first.lotCode {
            let notices = first.recallNotice.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
            let lot = LotFacts(
                code: code, producedOn: first.producedOn, expiresOn: first.expiresOn,
                recallNotice: notices[language.rawValue] ?? notices[productDefault.rawValue] ?? notices["en"])
            pageContext["lot"] = page.lotContext(lot)
            if first.lotRecalled == true {
                pageContext["verdict"] = page.verdictContext(.recalled, outcome: nil)
                pageContext["recallNotice"] = lot.recallNotice
            }
        } else if link.lot != nil {
            throw PublicError.notFound
        }
        pageContext["reportURL"] = page.reportURL(email: first.supportEmail, gtin: link.gtin, serial: nil)
        return renderer.page("scan", language: language, context: pageContext)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
