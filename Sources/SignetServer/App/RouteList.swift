import Logging
import Prometheus

/// Every route the server answers, as "METHOD /path/{parameter}", sorted:
/// what `signet routes` prints and what the isolation tests check their
/// table against. Builds the router without connecting to the database.
public func routeList(configuration: SignetConfiguration, logger: Logger) async throws -> [String] {
    let database = try makeDatabaseClient(configuration: configuration, logger: logger)
    let renderer = try await PageRenderer.load(resourcesDirectory: configuration.resourcesDirectory)
    let router = try await buildRouter(
        configuration: configuration, database: database, renderer: renderer, registry: PrometheusCollectorRegistry(),
        visitorKey: VisitorKey(), catalogueCache: CatalogueCache(),
        alertFeed: AlertFeed(database: database, timing: .init(), logger: logger), mailer: nil, passwordHashCost: 4,
        statisticsDatabase: database, rateLimits: nil, logger: logger)
    return router.routes.map(\.description).sorted()
}
