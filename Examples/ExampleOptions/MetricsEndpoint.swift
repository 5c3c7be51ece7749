import Prometheus

/// What an example app's `GET /metrics` answers: every metric reported through swift-metrics since the app
/// started, in the Prometheus text format (version 0.0.4), as a Prometheus server scrapes it.
public struct MetricsEndpoint: Sendable {
    /// The route, without its leading slash.
    public static let path = "metrics"
    /// The `Content-Type` of the Prometheus text format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let registry: PrometheusCollectorRegistry

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// The body of one scrape.
    public func scrape() async -> [UInt8] {
        registry.emitToBuffer()
    }
}
