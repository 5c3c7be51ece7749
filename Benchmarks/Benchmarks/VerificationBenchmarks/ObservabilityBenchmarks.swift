import Benchmark
import BenchmarkFixtures
import CoreMetrics
import LayabAuth
import LayabAuthJWKS
import Logging
import Prometheus
import Tracing

/// What observability costs on the path that matters most: a verified-token cache hit, the same RS256 token
/// presented again. The same verifier setup four times, differing only in the backends: none (what a process
/// gets when it bootstraps nothing), swift-prometheus metrics, and Prometheus with a tracer that records every
/// span's attributes. The server path (``TokenVerifying/verify(_:constraints:logger:)``) adds the per-request
/// outcome counter. Compare with "Cache hit JWKSVerifier.verify RS256" of a build before instrumentation
/// (docs/performance.md, "Observability").
func observabilityBenchmarks() {
    let fixture = Fixtures.fixture(.rs256)
    let silent = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    let backends: [(name: String, observability: Observability)] = [
        ("no backends", Observability(logger: silent, metrics: NOOPMetricsHandler.instance, tracer: NoOpTracer())),
        ("Prometheus", Observability(logger: silent, metrics: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry()), tracer: NoOpTracer())),
        ("Prometheus + recording tracer", Observability(logger: silent, metrics: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry()),
                                                        tracer: AttributeRecordingTracer())),
    ]
    for (name, observability) in backends {
        let verifier: JWKSVerifier
        do {
            verifier = try JWKSVerifier(source: StaticKeySource(fixture.verifier.keys), configuration: fixture.verifier.configuration,
                                        tokenCache: VerifiedTokenCache(), observability: observability)
        } catch {
            fatalError("the observability benchmarks' verifier: \(error)")
        }
        Benchmark("Observability cache hit RS256, \(name)") { benchmark in
            let token = fixture.token
            _ = try await verifier.verify(token)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try await verifier.verify(token))
            }
        }
        Benchmark("Observability server path cache hit RS256, \(name)") { benchmark in
            let request = RequestCredentials(authorizationValues: ["Bearer \(fixture.token)"], method: "GET", target: "/orders")
            _ = try await verifier.verify(request, constraints: .bearerOnly)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try await verifier.verify(request, constraints: .bearerOnly))
            }
        }
    }
}

/// A tracer whose spans are recording (so LayabAuth sets every attribute) and keep what they are given, then
/// are dropped when they end: LayabAuth's side of tracing, without an exporter's cost on top.
struct AttributeRecordingTracer: Tracer {
    typealias Span = RecordingSpan

    func startSpan<Instant: TracerInstant>(_ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind,
                                           at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt) -> RecordingSpan
    {
        RecordingSpan(operationName: operationName, context: context())
    }

    func forceFlush() {}
    func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject) where Inject.Carrier == Carrier {}
    func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
        where Extract.Carrier == Carrier {}
}

final class RecordingSpan: Tracing.Span, @unchecked Sendable {
    var operationName: String
    let context: ServiceContext
    var attributes = SpanAttributes()
    var status: SpanStatus?
    let isRecording = true

    init(operationName: String, context: ServiceContext) {
        self.operationName = operationName
        self.context = context
    }

    func setStatus(_ status: SpanStatus) { self.status = status }
    func addEvent(_ event: SpanEvent) {}
    func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {}
    func addLink(_ link: SpanLink) {}
    func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {}
}
