import Hummingbird
import HummingbirdTesting
import Logging
import SignetCore
import SignetServer
import Testing

/// The real application against a test database, with the fixture GeoIP file
/// and loopback as the trusted proxy.
func withTestApp<T: Sendable>(
    _ database: TestDatabase,
    _ setup: TestingSetup = .router,
    trustedProxies: [String] = ["127.0.0.0/8", "::1/128"],
    scanRateLimit: Int = 120,
    apiRateLimit: Int = 600,
    databasePoolSize: Int = 4,
    smtp: SMTPConfiguration? = nil,
    _ test: @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    let app = try await makeTestApplication(
        database, trustedProxies: trustedProxies, scanRateLimit: scanRateLimit, apiRateLimit: apiRateLimit,
        databasePoolSize: databasePoolSize, smtp: smtp)
    return try await app.test(setup, test)
}

/// The application `withTestApp` runs, for tests that run it another way.
func makeTestApplication(
    _ database: TestDatabase,
    trustedProxies: [String] = ["127.0.0.0/8", "::1/128"],
    scanRateLimit: Int = 120,
    apiRateLimit: Int = 600,
    databasePoolSize: Int = 4,
    catalogueRefreshInterval: Duration = .seconds(300),
    // Short, so a test reading the live feed gets a whole response.
    alertFeedLifetime: Duration = .seconds(2),
    alertFeedHeartbeat: Duration = .seconds(1),
    smtp: SMTPConfiguration? = nil
) async throws -> some ApplicationProtocol {
    let logger = Logger(label: "signet-test \(database.name)", factory: ShutdownTrailLogHandler.init)
    let configuration = SignetConfiguration(
        databaseURL: database.url,
        host: "127.0.0.1",
        port: 0,
        publicURL: "http://scan.test",
        geoIPDatabasePath: try GeoIPFixture.path(),
        trustedProxies: try trustedProxies.map { try #require(CIDR($0), "bad test network \($0)") },
        logLevel: .warning,
        resourcesDirectory: TestEnvironment.packageRoot,
        // Small by default: many tests run at once against one PostgreSQL.
        databasePoolSize: databasePoolSize,
        scanRateLimitPerMinute: scanRateLimit,
        apiRateLimitPerMinute: apiRateLimit,
        secretKey: Array(repeating: 7, count: 32),
        // The tests' webhook receivers listen on loopback.
        webhookAllowPrivate: true,
        smtp: smtp)
    return try await buildApplication(
        configuration: configuration, logger: logger, passwordHashCost: AccountsFixture.passwordHashCost,
        catalogueRefreshInterval: catalogueRefreshInterval, alertFeedLifetime: alertFeedLifetime, alertFeedHeartbeat: alertFeedHeartbeat,
        alertMailInterval: .milliseconds(200))
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
