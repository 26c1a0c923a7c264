import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SignetCore
import SignetServer
import Synchronization
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
    nfcKeys: NFCKeyRing = .empty,
    _ test: @escaping @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    let app = try await makeTestApplication(
        database, trustedProxies: trustedProxies, scanRateLimit: scanRateLimit, apiRateLimit: apiRateLimit,
        databasePoolSize: databasePoolSize, smtp: smtp, nfcKeys: nfcKeys)
    return try await app.testShuttingDownWithin(setup, test)
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
    smtp: SMTPConfiguration? = nil,
    nfcKeys: NFCKeyRing = .empty,
    // Longer than any pause of a loaded test run: the test client does not
    // reconnect after the server closes an idle connection.
    idleTimeout: Duration = .seconds(600),
    liveFeedsPerBrand: Int = 20
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
        smtp: smtp,
        nfcKeys: nfcKeys)
    return try await buildApplication(
        configuration: configuration, logger: logger, passwordHashCost: AccountsFixture.passwordHashCost,
        catalogueRefreshInterval: catalogueRefreshInterval, alertFeedLifetime: alertFeedLifetime, alertFeedHeartbeat: alertFeedHeartbeat,
        alertMailInterval: .milliseconds(200), idleTimeout: idleTimeout,
        liveFeedsPerBrand: liveFeedsPerBrand)
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

extension ApplicationProtocol {
    /// `test(_:_:)`, except that a shutdown still running 45 s after the
    /// test's body returned is left behind (and reported) instead of holding
    /// the whole run. postgres-nio 1.33's pool can wait for ever for a
    /// connection the server closed under it (tests that terminate or drop
    /// their database's connections do that); the test's outcome is known by then.
    func testShuttingDownWithin<T: Sendable>(
        _ setup: TestingSetup, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let finished = BodyResult<T>()
        let run = Task {
            try await self.test(setup) { client in
                do {
                    let value = try await body(client)
                    finished.set(.success(value))
                    return value
                } catch {
                    finished.set(.failure(error))
                    throw error
                }
            }
        }
        let answer = FirstResult<T>()
        return try await withCheckedThrowingContinuation { continuation in
            answer.start(continuation)
            Task { answer.resume(await run.result) }
            Task {
                let result = await finished.value()
                try? await Task.sleep(for: .seconds(45))
                if answer.resume(result) {
                    FileHandle.standardError.write(Data("application shutdown still running 45 s after its test ended; left behind\n".utf8))
                }
            }
        }
    }
}

/// The test body's result, for whoever waits for it.
private final class BodyResult<T: Sendable>: Sendable {
    private let state = Mutex<(result: Result<T, any Error>?, waiting: [CheckedContinuation<Result<T, any Error>, Never>])>((nil, []))

    func set(_ result: Result<T, any Error>) {
        let waiting = state.withLock { state in
            state.result = result
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume(returning: result) }
    }

    func value() async -> Result<T, any Error> {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Result<T, any Error>? in
                if state.result == nil { state.waiting.append(continuation) }
                return state.result
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Resumes a continuation with the first of several results.
private final class FirstResult<T: Sendable>: Sendable {
    private let state = Mutex<CheckedContinuation<T, any Error>?>(nil)

    func start(_ continuation: CheckedContinuation<T, any Error>) { state.withLock { $0 = continuation } }

    /// True when this result was the first.
    @discardableResult
    func resume(_ result: Result<T, any Error>) -> Bool {
        guard let continuation = state.withLock({ state in defer { state = nil }; return state }) else { return false }
        continuation.resume(with: result)
        return true
    }
}
