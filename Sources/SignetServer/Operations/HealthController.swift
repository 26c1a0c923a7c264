import Foundation
import Hummingbird
import Logging
import PostgresNIO
import Prometheus

/// Operator routes: `/health` (is the database answering, and is the
/// in-memory catalogue hearing its changes?), `/livez` (is the process
/// serving?) and `/metrics` (Prometheus text).
struct HealthController: Sendable {
    let database: PostgresClient
    let catalogue: CatalogueCache
    let registry: PrometheusCollectorRegistry
    let timeout: Duration

    func addRoutes(to router: Router<SignetRequestContext>) {
        router.get("/health", use: health)
        router.get("/livez") { _, _ in Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n"))) }
        router.get("/metrics", use: metrics)
    }

    @Sendable func health(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let databaseHealthy = await databaseAnswers(logger: context.logger)
        // A catalogue that has not heard changes for a while may still show a recalled lot as genuine.
        let catalogueStale = catalogue.isStale
        let healthy = databaseHealthy && !catalogueStale
        let milliseconds = Int((ContinuousClock.now - started) / .milliseconds(1))
        let body = #"{"status":"\#(healthy ? "ok" : "unavailable")","database":"\#(databaseHealthy ? "ok" : "unreachable")","catalogue":"\#(catalogueStale ? "stale" : "current")","elapsed_ms":\#(milliseconds)}"#
        return Response(
            status: healthy ? .ok : .serviceUnavailable,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    @Sendable func metrics(_ request: Request, context: SignetRequestContext) async throws -> Response {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    /// `SELECT 1` within the timeout; a pool that cannot connect counts as down.
    private func databaseAnswers(logger: Logger) async -> Bool {
        let (database, timeout) = (database, timeout)
        return await awaitAtMost(timeout, otherwise: false) {
            do {
                _ = try await database.query("SELECT 1", logger: logger).collect()
                return true
            } catch {
                logger.warning("health check: database error", metadata: ["error": "\(String(reflecting: error))"])
                return false
            }
        }
    }
}
