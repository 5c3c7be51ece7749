import CoreMetrics
import LayabAuth

/// The introspection endpoint's round trips and the answer cache's lookups (names in ``MetricName``), made
/// once per ``IntrospectionVerifier``.
final class IntrospectionMetrics: Sendable {
    private let active: Timer
    private let inactive: Timer
    private let failure: Timer
    private let cacheHits: Counter
    private let cacheMisses: Counter

    init(_ factory: any MetricsFactory) {
        func timer(_ result: String) -> Timer {
            Timer(label: MetricName.introspectionDuration, dimensions: [("result", result)], factory: factory)
        }
        active = timer("active")
        inactive = timer("inactive")
        failure = timer("failure")
        cacheHits = Counter(label: MetricName.introspectionCacheLookups, dimensions: [("result", "hit")], factory: factory)
        cacheMisses = Counter(label: MetricName.introspectionCacheLookups, dimensions: [("result", "miss")], factory: factory)
    }

    func recordRoundTrip(_ duration: Duration, _ outcome: Result<IntrospectionAnswer, LayabAuthError>) {
        let timer = switch outcome {
        case .success(.active): active
        case .success: inactive
        case .failure: failure
        }
        timer.recordNanoseconds(duration.nanoseconds)
    }

    func recordLookup(cached: Bool) {
        (cached ? cacheHits : cacheMisses).increment()
    }
}
