import ArgumentParser
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import SignetServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve HTTP (refuses to start with pending migrations).")

    @OptionGroup var options: CommonOptions
    @Flag(help: "Apply pending migrations before serving.")
    var migrate = false

    func run() async throws {
        // Tasks run on the event loops that serve the connections, instead of
        // hopping to Swift's cooperative pool and back for every request.
        let onEventLoops = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let configuration = try await options.configuration()
        let logger = options.logger(configuration)
        logger.info("concurrency executor", metadata: ["event_loops": "\(onEventLoops)"])
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let app = try await buildApplication(configuration: configuration, logger: logger, registry: registry, migrate: migrate)
        try await app.runService()
    }
}
