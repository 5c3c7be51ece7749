#if Hummingbird || Vapor
import LayabAuthJWKS
import Prometheus

/// What an example app's `GET /metrics` answers: every metric reported through swift-metrics since the app
/// started, in the Prometheus text format (version 0.0.4), as a Prometheus server scrapes it.
public struct MetricsEndpoint: Sendable {
    /// The route, without its leading slash.
    public static let path = "metrics"
    /// The `Content-Type` of the Prometheus text format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let registry: PrometheusCollectorRegistry
    /// The key sources whose gauges are brought up to date before each scrape.
    private var keySources: [any KeySource] = []

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// This endpoint, bringing the key set gauges of `verifier`'s key sources up to date before each scrape:
    /// a key set's age and the time until its refresh move with the clock, not only at retrievals.
    public func refreshingGauges(of verifier: any TokenVerifying) -> MetricsEndpoint {
        var endpoint = self
        endpoint.keySources = switch verifier {
        case let single as JWKSVerifier: [single.source]
        case let several as MultiIssuerVerifier: several.keySources
        case let hybrid as HybridVerifier: [hybrid.jwt.source]
        default: []  // introspection alone: no key set
        }
        return endpoint
    }

    /// The body of one scrape.
    public func scrape() async -> [UInt8] {
        for source in keySources { await source.recordGauges() }
        return registry.emitToBuffer()
    }
}
#endif
