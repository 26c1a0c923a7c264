import ArgumentParser
import Hummingbird
import Logging
import Metrics
import Prometheus
import SignetServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve HTTP (refuses to start with pending migrations).")

    @OptionGroup var options: CommonOptions
    @Flag(help: "Apply pending migrations before serving.")
    var migrate = false

    func run() async throws {
        let configuration = try await options.configuration()
        let logger = options.logger(configuration)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let app = try await buildApplication(configuration: configuration, logger: logger, registry: registry, migrate: migrate)
        try await app.runService()
    }
}
