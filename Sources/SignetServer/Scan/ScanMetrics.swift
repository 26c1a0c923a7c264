import Prometheus
import SignetCore

/// `signet_scans_total{verdict=...}`, registered directly on the registry so it
/// exists whether or not the global metrics system was bootstrapped.
struct ScanMetrics: Sendable {
    private let counters: [Verdict: Counter]
    private let rateLimited: Counter
    private let previews: Counter

    init(registry: PrometheusCollectorRegistry) {
        var counters: [Verdict: Counter] = [:]
        for verdict in Verdict.allCases {
            counters[verdict] = registry.makeCounter(
                descriptor: MetricNameDescriptor(namespace: "signet", metricName: "scans", unitName: "total", helpText: "Seal scans by verdict"),
                labels: [("verdict", verdict.rawValue)])
        }
        self.counters = counters
        rateLimited = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "signet", metricName: "scans_rate_limited", unitName: "total",
                helpText: "Digital Link requests refused by the per-address rate limit"),
            labels: [])
        previews = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "signet", metricName: "link_previews", unitName: "total",
                helpText: "Seal URLs fetched by link preview agents and crawlers, answered without a consultation"),
            labels: [])
    }

    func recordPreview() {
        previews.increment()
    }

    func recordRateLimited() {
        rateLimited.increment()
    }

    func record(_ verdict: Verdict) {
        counters[verdict]?.increment()
    }
}
