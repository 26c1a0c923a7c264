import Hummingbird
import HummingbirdCore
import Logging
import PostgresNIO
import Prometheus
import SignetCore

/// Builds the whole server; `signet serve` and the tests both use it.
///
/// - Parameter migrate: apply pending migrations before serving; otherwise
///   pending migrations stop the start-up with an explanation.
/// - Parameter passwordHashCost: bcrypt's cost for portal passwords (tests lower it).
/// - Parameter catalogueRefreshInterval: how often the in-memory catalogue is
///   reloaded whole, as a safety net behind its change notifications.
/// - Parameter alertMailInterval: how often an idle alert e-mail dispatcher looks for due messages.
/// - Parameter alertFeedLifetime: how long one live alert feed stays open
///   before the browser reconnects; `alertFeedHeartbeat`: how often it sends
///   a comment line to keep proxies from closing it.
/// - Parameter liveFeedsPerBrand: live feeds one brand may hold open on this instance.
/// - Parameter idleTimeout: how long a connection may send nothing whole (no
///   complete request head, no body part) before it is closed; a response
///   being written (a live feed) does not count as idle.
public func buildApplication(
    configuration: SignetConfiguration,
    logger: Logger,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    migrate: Bool = false,
    passwordHashCost: UInt8 = 12,
    catalogueRefreshInterval: Duration = .seconds(300),
    alertFeedLifetime: Duration = .seconds(300),
    alertFeedHeartbeat: Duration = .seconds(15),
    alertMailInterval: Duration = .seconds(5),
    idleTimeout: Duration = .seconds(30),
    liveFeedsPerBrand: Int = 20
) async throws -> some ApplicationProtocol {
    // The database itself gives up on a serving statement after 5 s and rolls it
    // back; a scan statement that starts after its request gave up stops itself
    // (signet_in_time), so a scan answered "try again" is not recorded behind it.
    let database = try makeDatabaseClient(configuration: configuration, logger: logger, statementTimeout: "5s")
    // A statistics question the daily rollups cannot answer reads hourly rows and can take
    // seconds over a year of history: it gets two connections of its own, opened on demand,
    // with a longer limit, so it is answered instead of cut at 5 s, and never holds a
    // connection a scan is waiting for.
    // A year's question grouped by two dimensions sorts thousands of 2 KiB sketches: room to do it in
    // memory, on two connections at most.
    let statisticsDatabase = try makeDatabaseClient(
        configuration: configuration, logger: logger, statementTimeout: "30s", workMemory: "64MB", maximumConnections: 2)
    let resources = configuration.resourcesDirectory
    let renderer = try await PageRenderer.load(resourcesDirectory: resources)
    let migrations = MigrationRunner(migrations: try Migration.load(from: "\(resources)/db/migrations"), logger: logger)
    let partitions = PartitionMaintenance(database: database, logger: logger, interval: .seconds(6 * 3600))

    let visitorKey = VisitorKey()
    let catalogue = CatalogueCache()
    let catalogueListener = CatalogueListener(
        cache: catalogue, connection: try DatabaseURL.connectionConfiguration(from: configuration.databaseURL),
        refreshInterval: catalogueRefreshInterval, logger: logger)
    let alertFeed = AlertFeed(
        database: database, timing: .init(streamLifetime: alertFeedLifetime, heartbeat: alertFeedHeartbeat),
        quota: LiveFeedQuota(perBrand: liveFeedsPerBrand), logger: logger)
    let mailer = try configuration.smtp.map { try SMTPClient(configuration: $0) }
    let rateLimits = RateLimitExchange(database: database, visitorKey: visitorKey, logger: logger)
    let router = try await buildRouter(
        configuration: configuration, database: database, renderer: renderer, registry: registry,
        visitorKey: visitorKey, catalogueCache: catalogue, alertFeed: alertFeed, mailer: mailer, passwordHashCost: passwordHashCost,
        statisticsDatabase: statisticsDatabase, rateLimits: rateLimits, logger: logger)

    var app = Application(
        router: router,
        server: .http1(configuration: connectionLimits(idleTimeout: idleTimeout)),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Signet"),
        services: [database, statisticsDatabase],
        logger: logger)
    app.beforeServerStarts {
        if migrate {
            let applied = try await migrations.migrate(client: database)
            if !applied.isEmpty { logger.info("migrations applied", metadata: ["versions": "\(applied.joined(separator: ","))"]) }
        } else {
            let pending = try await migrations.pending(client: database)
            guard pending.isEmpty else { throw MigrationError.pendingMigrations(pending.map(\.version)) }
        }
        try await ConsultationStreamRebase(database: database, logger: logger).check()
        try await visitorKey.load(from: database, logger: logger)
        try await catalogueListener.loadAll()
        await partitions.ensurePartitions()
    }
    let jobs = JobStore(database: database, logger: logger)
    let alerts = AlertRecorder(logger: logger)
    let statistics = StatisticsRecorder(logger: logger)
    app.addServices(
        ConsultationStreamConsumer(
            name: AlertRecorder.consumer, stream: ConsultationStream(logger: logger),
            connection: try DatabaseURL.connectionConfiguration(from: configuration.databaseURL),
            pollInterval: .milliseconds(250), batchSize: 500, logger: logger
        ) { connection, batch in try await alerts.record(batch, on: connection) },
        ConsultationStreamConsumer(
            name: StatisticsRecorder.consumer, stream: ConsultationStream(logger: logger),
            connection: try DatabaseURL.connectionConfiguration(from: configuration.databaseURL),
            // Rarer, larger batches than the alerts': each rewrites the day's
            // rows it touches (4 KiB each) whatever its size, and the dashboard
            // may lag up to 2 s behind the scans.
            pollInterval: .milliseconds(500), batchSize: 10_000, logger: logger
        ) { connection, batch in try await statistics.record(batch, on: connection) },
        StatisticsPairDerivation(database: database, logger: logger),
        catalogueListener,
        alertFeed,
        rateLimits,
        partitions,
        JobRunner(
            jobs: jobs, sealBatches: SealBatchGenerator(database: database, jobs: jobs, logger: logger),
            traceCaptures: TraceCaptureJob(
                database: database, captures: TraceCaptureStore(database: database, logger: logger), jobs: jobs, logger: logger),
            logger: logger),
        ExpiredRowsCleanup(database: database, logger: logger),
        PointsExpiry(database: database, logger: logger),
        WebhookDispatcher(
            deliveries: WebhookDeliveryStore(database: database, logger: logger), alerts: AlertStore(database: database, logger: logger),
            box: SecretBox(key: configuration.secretKey), policy: OutboundAddressPolicy(allowPrivate: configuration.webhookAllowPrivate),
            logger: logger,
            ownerNotice: mailer.map {
                .init(users: UserStore(database: database, logger: logger), mailer: $0, renderer: renderer, publicURL: configuration.publicURL)
            }))
    if let mailer {
        app.addServices(AlertMailDispatcher(
            queue: AlertMailStore(database: database, logger: logger), alerts: AlertStore(database: database, logger: logger),
            mailer: mailer, renderer: renderer, publicURL: configuration.publicURL, logger: logger, idleInterval: alertMailInterval))
    }
    return app
}

/// What one client connection may hold. A client that trickles a request
/// head (slowloris) never completes a head, so the idle timeout closes it;
/// heads are capped at 32 KiB (a browser's cookies and a long Digital Link fit
/// many times over) and 100 fields, and a larger one is answered 400 and closed
/// by the HTTP decoder before any route runs.
func connectionLimits(idleTimeout: Duration) -> HTTP1Channel.Configuration {
    let components = idleTimeout.components
    let nanoseconds = components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    return HTTP1Channel.Configuration(
        idleTimeout: .nanoseconds(nanoseconds),
        httpDecoderConfiguration: .init(maxHeaderFieldSize: 32 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100))
}

/// A pool sized from the configuration; run it as a service (or in a task) before querying.
/// - Parameter statementTimeout: PostgreSQL's `statement_timeout` for every
///   connection (e.g. "5s"); nil for commands whose statements may run long.
/// - Parameter maximumConnections: a pool of its own size, with no connection
///   kept open while idle, instead of `SIGNET_DATABASE_POOL_SIZE`.
public func makeDatabaseClient(
    configuration: SignetConfiguration, logger: Logger, statementTimeout: String? = nil, workMemory: String? = nil,
    maximumConnections: Int? = nil
) throws -> PostgresClient {
    var clientConfiguration = try DatabaseURL.configuration(from: configuration.databaseURL)
    clientConfiguration.options.maximumConnections = maximumConnections ?? configuration.databasePoolSize
    clientConfiguration.options.minimumConnections = maximumConnections == nil ? min(2, configuration.databasePoolSize) : 0
    clientConfiguration.options.connectTimeout = .seconds(3)
    if let statementTimeout { clientConfiguration.options.additionalStartupParameters.append(("statement_timeout", statementTimeout)) }
    if let workMemory { clientConfiguration.options.additionalStartupParameters.append(("work_mem", workMemory)) }
    // PostgreSQL compiles a statement whose estimated cost passes `jit_above_cost` with LLVM: 60-70 ms,
    // which a statistics question whose edges it cannot estimate paid in full to save nothing.
    clientConfiguration.options.additionalStartupParameters.append(("jit", "off"))
    return PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
}
