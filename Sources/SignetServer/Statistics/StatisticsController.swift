import Foundation
import HTTPTypes
import Hummingbird
import SignetCore

/// The portal's statistics dashboard (`/portal/stats`): totals for the
/// period with the change against the period before, consultations over
/// time stacked by verdict, bars by country, language and product type, top
/// products, the most suspicious seals, the genuine share and a world map
/// shaded by country, all as SVG
/// drawn here; the filters live in the URL, and `/portal/stats/export.csv`
/// downloads what the time chart shows.
struct StatisticsController: Sendable {
    let statistics: StatisticsStore
    let catalogue: CatalogueStore
    let productTypes: ProductTypeStore
    let worldMap: WorldMap
    /// How long one live feed stays open and how often it sends a comment to keep proxies from closing it (the alert feed's).
    let feedTiming: AlertFeed.Timing
    let feedQuota: LiveFeedQuota
    let page: PortalPage
    /// How often an open dashboard's feed looks for newly counted scans.
    static let feedInterval: Duration = .seconds(3)

    static let topCount = 10

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: dashboard)
        group.get("export.csv", use: export)
        group.get("feed", use: liveFeed)
    }

    /// Server-Sent Events: `event: refresh` whenever the brand's recent
    /// counts change, so `Public/js/stats-live.js` reloads the figures. The
    /// stream ends after the alert feed's lifetime and the browser reconnects.
    @Sendable func liveFeed(_ request: Request, context: PortalContext) async throws -> Response {
        let brandID = context.manager.brandID
        let slot = try feedQuota.acquire(brandID: brandID)
        let (statistics, timing) = (statistics, feedTiming)
        let body = ResponseBody { writer in
            defer { slot.hold() }
            try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
            let clock = ContinuousClock()
            let end = clock.now + timing.streamLifetime
            var last = try await statistics.recentCount(brandID: brandID)
            var lastWrite = clock.now
            while clock.now < end {
                try await Task.sleep(for: min(Self.feedInterval, end - clock.now))
                let count = try await statistics.recentCount(brandID: brandID)
                if count != last {
                    last = count
                    try await writer.write(ByteBuffer(string: "event: refresh\ndata: \(count)\n\n"))
                    lastWrite = clock.now
                } else if clock.now - lastWrite >= timing.heartbeat {
                    try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                    lastWrite = clock.now
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no",
        ], body: body)
    }

    @Sendable func dashboard(_ request: Request, context: PortalContext) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let manager = context.manager
        let form = try await StatisticsFilterForm(
            query: request.firstQueryValues, now: Date(), timeZone: statistics.timeZone(brandID: manager.brandID))
        let products = try await catalogue.products(brandID: manager.brandID, access: manager.access)
        let types = try await productTypes.list(brandID: manager.brandID, access: manager.access)
        var view: [String: Any] = [
            "errors": form.problems.uniqued().map { strings[$0] },
            "periods": StatisticsFilterForm.Period.allCases.map { period in
                ["code": period.rawValue, "label": strings["portal_stats_period_\(period.rawValue)"], "selected": period == form.period]
                    as [String: Any]
            },
            "types": types.map { type in
                ["code": type.code, "name": type.name(in: language), "selected": type.code == form.values["product_type"]] as [String: Any]
            },
            "products": products.map { product in
                ["gtin": product.gtin, "name": product.name(in: language), "selected": product.gtin == form.values["product"]]
                    as [String: Any]
            },
            "languageOptions": StatisticsQuery.languages.map { code in
                ["code": code, "name": Self.languageName(code, in: language), "selected": code == form.values["language"]] as [String: Any]
            },
            "verdicts": Verdict.allCases.map { verdict in
                ["code": verdict.rawValue, "label": strings["verdict_\(verdict.rawValue)_title"],
                 "selected": verdict.rawValue == form.values["verdict"]] as [String: Any]
            },
            "form": form.values,
            "filtered": !form.values.isEmpty,
            "csvURL": "/portal/stats/export.csv" + (form.queryString.isEmpty ? "" : "?" + form.queryString),
        ]
        if let question = form.question, let previous = form.previous {
            let data = try await StatisticsDashboardData.load(
                statistics: statistics, brandID: manager.brandID, question: question, previous: previous,
                productIDs: manager.access.productIDs)
            let dashboard = StatisticsDashboardView(
                data: data, question: question, language: language, strings: strings, countries: page.renderer.countries,
                worldMap: worldMap,
                productNames: Dictionary(products.map { ($0.gtin, $0.name(in: language)) }, uniquingKeysWith: { first, _ in first }),
                typeNames: Dictionary(types.map { ($0.code, $0.name(in: language)) }, uniquingKeysWith: { first, _ in first }))
            view.merge(dashboard.context()) { _, new in new }
        }
        return page.render("stats", request: request, session: context.session, active: .stats, context: view)
    }

    /// The time chart's numbers: `bucket,verdict,consultations,unique_seals`, as the API writes them.
    @Sendable func export(_ request: Request, context: PortalContext) async throws -> Response {
        let form = try await StatisticsFilterForm(
            query: request.firstQueryValues, now: Date(), timeZone: statistics.timeZone(brandID: context.manager.brandID))
        guard var question = form.question else { throw PublicError.badRequest }
        question.groupBy = [.verdict]
        let rows = try await statistics.series(brandID: context.manager.brandID, question, productIDs: context.manager.access.productIDs)
        let text = StatisticsCSV.text(rows, groupBy: question.groupBy, bucketFormat: StatisticsBucketFormat(timeZone: question.timeZone))
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8", .cacheControl: "private, no-store",
            .contentDisposition: "attachment; filename=\"signet-statistics-\(form.period.rawValue).csv\"",
        ], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func languageName(_ code: String, in language: Language) -> String {
        let name = Locale(identifier: language.rawValue).localizedString(forLanguageCode: code) ?? code
        return name.prefix(1).uppercased() + name.dropFirst()
    }
}
