import Foundation
import Hummingbird
import OpenAPIHummingbird
import SignetAPI
import Logging
import PostgresNIO
import Prometheus
import SignetCore

/// Mounts every capability's routes. Middleware runs outermost first:
/// security headers, metrics, error pages, static files, then the routes.
func buildRouter(
    configuration: SignetConfiguration,
    database: PostgresClient,
    renderer: PageRenderer,
    registry: PrometheusCollectorRegistry,
    visitorKey: VisitorKey,
    catalogueCache: CatalogueCache,
    alertFeed: AlertFeed,
    mailer: SMTPClient?,
    passwordHashCost: UInt8,
    statisticsDatabase: PostgresClient,
    rateLimits: RateLimitExchange?,
    logger: Logger
) async throws -> Router<SignetRequestContext> {
    let resources = configuration.resourcesDirectory
    let secureCookies = configuration.publicURL.hasPrefix("https://")
    let clientAddresses = ClientAddressResolver(trustedProxies: configuration.trustedProxies)

    let router = Router(context: SignetRequestContext.self)
    router.middlewares.add(SecurityHeadersMiddleware())
    router.middlewares.add(RequestMetricsMiddleware())
    router.middlewares.add(ErrorPageMiddleware(renderer: renderer))
    router.middlewares.add(FileMiddleware("\(resources)/Public", cacheControl: .init([(MediaType(type: .any), [.public, .maxAge(3600)])]), logger: logger))

    HealthController(database: database, catalogue: catalogueCache, registry: registry, timeout: .seconds(2)).addRoutes(to: router)
    let reportLinks = ReportLink(secret: configuration.secretKey)
    let claimTokens = ClaimToken.Signer(secret: configuration.secretKey)
    let scanPages = ScanController(
        database: database,
        catalogue: catalogueCache,
        renderer: renderer,
        countries: CountryResolver(path: configuration.geoIPDatabasePath, logger: logger),
        clientAddresses: clientAddresses,
        secureCookies: secureCookies,
        scanCounter: ScanMetrics(registry: registry),
        visitorKey: visitorKey,
        rateLimit: RateLimit(scope: "scan", perMinute: configuration.scanRateLimitPerMinute, exchange: rateLimits),
        reportLinks: reportLinks,
        claimTokens: claimTokens,
        nfcKeys: configuration.nfcKeys)
    ResolverController(catalogue: catalogueCache, pages: scanPages, root: configuration.publicURL)
        .addRoutes(to: router, errorPages: ErrorPageMiddleware(renderer: renderer))
    TypedCodeController(database: database, catalogue: catalogueCache, pages: scanPages, renderer: renderer).addRoutes(to: router)
    let walletPages = WalletController(
        wallets: WalletStore(database: database, logger: logger),
        loyalty: LoyaltyStore(database: database, logger: logger),
        rewards: RewardStore(database: database, logger: logger),
        redemptions: RedemptionStore(database: database, logger: logger),
        privacy: WalletPrivacyStore(database: database, logger: logger),
        catalogue: catalogueCache, claimTokens: claimTokens, clientAddresses: clientAddresses,
        claimRateLimit: RateLimit(scope: "claim", perMinute: configuration.scanRateLimitPerMinute == 0 ? 0 : 10, exchange: rateLimits),
        renderer: renderer, secureCookies: secureCookies, offersSignInLinks: mailer != nil
    )
    walletPages.addRoutes(to: router)
    WalletAccountController(
        accounts: WalletAccountStore(database: database, logger: logger),
        passwords: try await PasswordHasher.make(cost: passwordHashCost), throttle: SignInThrottle(name: "wallet", exchange: rateLimits), clientAddresses: clientAddresses,
        walletPages: walletPages, mailer: mailer, publicURL: configuration.publicURL
    ).addRoutes(to: router)
    ConsumerReportController(
        reports: ConsumerReportStore(database: database, logger: logger), links: reportLinks, renderer: renderer,
        clientAddresses: clientAddresses,
        // A person reports a few problems, not dozens a minute.
        rateLimit: RateLimit(scope: "report", perMinute: configuration.scanRateLimitPerMinute == 0 ? 0 : 5, exchange: rateLimits)
    ).addRoutes(to: router)

    // The portal: every route resumes the session cookie; routes behind sign-in
    // get a PortalContext (no session, no handler) and a CSRF check on every post.
    let sessions = SessionStore(database: database, logger: logger)
    let page = PortalPage(renderer: renderer)
    let portal = router.group("portal").add(middleware: PortalSessionMiddleware(sessions: sessions, secureCookies: secureCookies))
    let signedIn = portal.group(context: PortalContext.self)
        .add(middleware: PortalCSRFMiddleware())
        .add(middleware: TwoFactorRequirementMiddleware())
        .add(middleware: ReadAccessMiddleware())
        .add(middleware: CatalogueSyncMiddleware(catalogue: catalogueCache, database: database))
    signedIn.get { _, _ in Redirect(location: "/portal/products").response }
    let twoFactor = TwoFactorStore(database: database, logger: logger, box: SecretBox(key: configuration.secretKey))
    let throttle = SignInThrottle(name: "portal", exchange: rateLimits)
    let signIn = SignInController(
        users: UserStore(database: database, logger: logger),
        sessions: sessions,
        twoFactor: twoFactor,
        passwords: try await PasswordHasher.make(cost: passwordHashCost),
        throttle: throttle,
        clientAddresses: clientAddresses,
        page: page,
        secureCookies: secureCookies)
    signIn.addPublicRoutes(to: portal)
    signIn.addSessionRoutes(to: signedIn)
    let account = AccountController(
        users: UserStore(database: database, logger: logger), twoFactor: twoFactor,
        alertMail: AlertMailStore(database: database, logger: logger), mailConfigured: mailer != nil, page: page)
    account.addRoutes(to: signedIn.group("account"))
    let twoFactorController = TwoFactorController(
        twoFactor: twoFactor, sessions: sessions, throttle: throttle, clientAddresses: clientAddresses, page: page,
        account: account, secureCookies: secureCookies)
    twoFactorController.addSignInRoutes(to: portal)
    twoFactorController.addAccountRoutes(to: signedIn.group("account"))
    BrandSettingsController(brands: BrandStore(database: database, logger: logger), page: page)
        .addRoutes(to: signedIn.group("brand"))
    let catalogue = CatalogueStore(database: database, logger: logger)
    let productTypes = ProductTypeStore(database: database, logger: logger)
    let images = ProductImageStore(database: database, logger: logger)
    ProductImageController(images: images).addRoutes(to: router)
    ProductsController(catalogue: catalogue, productTypes: productTypes, images: images, page: page)
        .addRoutes(to: signedIn.group("products"))
    ProductLinksController(
        catalogue: catalogue, links: ProductLinkStore(database: database, logger: logger), page: page, root: configuration.publicURL
    ).addRoutes(to: signedIn.group("products"))
    ProductTypesController(productTypes: productTypes, page: page)
        .addRoutes(to: signedIn.group("product-types"))
    let worldMap = try WorldMap.load(resourcesDirectory: configuration.resourcesDirectory)
    SealsController(
        batches: SealBatchStore(database: database, logger: logger),
        seals: SealStore(database: database, logger: logger),
        jobs: JobStore(database: database, logger: logger),
        catalogue: catalogue,
        exporter: SealExporter(database: database, logger: logger, publicURL: configuration.publicURL),
        nfcTags: NFCTagStore(database: database, logger: logger), nfcKeys: configuration.nfcKeys,
        trace: TraceReportStore(database: database, logger: logger), worldMap: worldMap, page: page
    ).addRoutes(to: signedIn.group("seals"))
    ConsultationsController(
        consultations: ConsultationStore(database: database, logger: logger), catalogue: catalogue, page: page
    ).addRoutes(to: signedIn)
    StatisticsController(
        statistics: StatisticsStore(database: statisticsDatabase, logger: logger), catalogue: catalogue, productTypes: productTypes,
        worldMap: worldMap, feedTiming: alertFeed.timing, feedQuota: alertFeed.quota, page: page
    ).addRoutes(to: signedIn.group("stats"))
    let alertsController = AlertsController(
        alerts: AlertStore(database: database, logger: logger), catalogue: catalogue, feed: alertFeed, page: page)
    alertsController.addRoutes(to: signedIn.group("alerts"))
    alertsController.addReportRoutes(to: signedIn.group("reports"))
    AlertRulesController(rules: AlertRuleStore(database: database, logger: logger), productTypes: productTypes, page: page)
        .addRoutes(to: signedIn.group("alerts/rules"))
    let webhookEndpoints = WebhookEndpointStore(database: database, box: SecretBox(key: configuration.secretKey), logger: logger)
    let webhookDeliveries = WebhookDeliveryStore(database: database, logger: logger)
    WebhooksController(
        endpoints: webhookEndpoints, deliveries: webhookDeliveries, allowPrivate: configuration.webhookAllowPrivate, page: page
    ).addRoutes(to: signedIn.group("webhooks"))
    TraceController(
        database: database, captures: TraceCaptureStore(database: database, logger: logger),
        reports: TraceReportStore(database: database, logger: logger), partners: PartnerStore(database: database, logger: logger),
        catalogue: catalogue, worldMap: worldMap, page: page, logger: logger
    ).addRoutes(to: signedIn.group("trace"))
    AuditController(events: AuditEventStore(database: database, logger: logger), page: page)
        .addRoutes(to: signedIn.group("audit"))
    let accessOptions = ProductAccessOptions(catalogue: catalogue, productTypes: productTypes)
    UsersController(
        users: UserStore(database: database, logger: logger), accessOptions: accessOptions, page: page, publicURL: configuration.publicURL,
        mailer: mailer
    ).addRoutes(to: signedIn.group("users"))
    APIKeysController(keys: APIKeyStore(database: database, logger: logger), accessOptions: accessOptions, page: page)
        .addRoutes(to: signedIn.group("keys"))
    LoyaltyController(
        programme: LoyaltyProgrammeStore(database: database, logger: logger), rewards: RewardStore(database: database, logger: logger),
        redemptions: RedemptionStore(database: database, logger: logger), loyalty: LoyaltyStore(database: database, logger: logger), page: page
    ).addRoutes(to: signedIn.group("loyalty"))
    VoucherCheckController(
        redemptions: RedemptionStore(database: database, logger: logger), rewards: RewardStore(database: database, logger: logger), page: page,
        // A till looks up a few vouchers a minute; guessing codes takes thousands.
        lookups: RateLimit(scope: "voucher lookups", perMinute: 30, exchange: rateLimits)
    ).addRoutes(to: signedIn.group("vouchers"))

    // The management API: problems for every error, a bearer key for every
    // route, replays for retried creations; handlers generated from openapi.yaml.
    let openAPIDocument = try String(contentsOfFile: "\(resources)/Sources/SignetAPI/openapi.yaml", encoding: .utf8)
    router.get("api/v1/openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: openAPIDocument)))
    }
    let apiKeys = APIKeyMiddleware(
        keys: APIKeyStore(database: database, logger: logger),
        rateLimit: RateLimit(scope: "api", perMinute: configuration.apiRateLimitPerMinute, exchange: rateLimits))
    let api = router.group("api/v1")
        .add(middleware: APIProblemMiddleware())
        .add(middleware: apiKeys)
        .add(middleware: IdempotencyMiddleware(database: database, box: SecretBox(key: configuration.secretKey), logger: logger))
        .add(middleware: CatalogueSyncMiddleware(catalogue: catalogueCache, database: database))
    let batches = SealBatchStore(database: database, logger: logger)
    try APIHandler(
        catalogue: catalogue, productTypes: productTypes, batches: batches, jobs: JobStore(database: database, logger: logger),
        consultations: ConsultationStore(database: database, logger: logger),
        alerts: AlertStore(database: database, logger: logger), alertRules: AlertRuleStore(database: database, logger: logger),
        webhooks: webhookEndpoints, webhookDeliveries: webhookDeliveries,
        redemptions: RedemptionStore(database: database, logger: logger),
        programme: LoyaltyProgrammeStore(database: database, logger: logger), rewards: RewardStore(database: database, logger: logger),
        loyalty: LoyaltyStore(database: database, logger: logger),
        partners: PartnerStore(database: database, logger: logger),
        productLinks: ProductLinkStore(database: database, logger: logger),
        webhookAllowPrivate: configuration.webhookAllowPrivate
    // Compact JSON, keys in the schema's order: pretty printing doubled a large answer, and sorting keys cost
    // time per object.
    ).registerHandlers(on: api, serverURL: URL(string: "/")!, configuration: .init(jsonEncodingOptions: []))
    APIStatisticsRoute(statistics: StatisticsStore(database: statisticsDatabase, logger: logger)).addRoutes(to: api)
    APIImageRoute(images: images, catalogue: catalogue, rewards: RewardStore(database: database, logger: logger)).addRoutes(to: api)
    APIExportRoute(batches: batches, exporter: SealExporter(database: database, logger: logger, publicURL: configuration.publicURL))
        .addRoutes(to: api)

    // Track & trace: the EPCIS 2.0 REST interface, with the API's keys and problems.
    EPCISController(
        captures: TraceCaptureStore(database: database, logger: logger),
        records: TraceCaptureRecordStore(database: database, logger: logger),
        events: TraceEventStore(database: database, logger: logger)
    ).addRoutes(to: router.group("epcis")
        .add(middleware: APIProblemMiddleware())
        .add(middleware: apiKeys)
        // A recall or commissioning captured here shows on the next scan here.
        .add(middleware: CatalogueSyncMiddleware(catalogue: catalogueCache, database: database)))
    return router
}
