import InMemoryTracing
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Logging
import MetricsTestKit
import Testing
import Tracing

/// What both integrations' observability tests check after one valid and one expired request to `GET /me`:
/// each verification span is a child of its request's span, the outcomes are in order, and the refusal's debug
/// line went to the request's logger (`label`, carrying the framework's request id under `requestIDKey`).
public struct RequestObservability {
    public let tracer = InMemoryTracer()
    public let metrics = TestMetrics()
    /// The request logger's lines (label "api", debug), which the app under test logs to.
    public let logs = LogRecorder()
    /// A verifier reporting to ``tracer`` and ``metrics``, with the keys of a test issuer.
    public let verifier: JWKSVerifier
    public let valid: String
    public let expired: String

    public init() throws {
        let issuer = try TestIssuer()
        verifier = try JWKSVerifier(source: StaticKeySource(issuer.keySet),
                                    observability: Observability(logger: LogRecorder().logger(), metrics: metrics, tracer: tracer))
        valid = try issuer.token(claims: ["sub": "alice"])
        expired = try issuer.token(claims: ["sub": "bob"], lifetime: -120)
    }

    /// The logger the app under test gets: what ``expect(requestIDKey:sourceLocation:)`` reads.
    public var requestLogger: Logger { logs.logger(label: "api", level: .debug) }

    public func expect(requestIDKey: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try Self.expect(tracer: tracer, logs: logs, metrics: metrics, expired: expired, label: "api", requestIDKey: requestIDKey,
                        sourceLocation: sourceLocation)
    }

    static func expect(tracer: InMemoryTracer, logs: LogRecorder, metrics: TestMetrics, expired: String, label: String,
                       requestIDKey: String, sourceLocation: SourceLocation) throws
    {
        let finished = tracer.finishedSpans
        let requests = finished.filter { $0.operationName == "GET /me" }
        let verifications = finished.filter { $0.operationName == "layabauth.verify" }
        #expect(requests.count == 2 && verifications.count == 2, sourceLocation: sourceLocation)
        for (request, verification) in zip(requests, verifications) {
            #expect(verification.parentSpanID == request.spanID && verification.traceID == request.traceID, sourceLocation: sourceLocation)
        }
        #expect(verifications.map { $0.attributes["layabauth.outcome"]?.toSpanAttribute() } == ["valid", "expired"], sourceLocation: sourceLocation)
        let refusal = try #require(logs.entries.first { $0.message.hasPrefix("token refused: expired") }, "\(logs.entries)",
                                   sourceLocation: sourceLocation)
        #expect(refusal.label == label, sourceLocation: sourceLocation)
        #expect(refusal.metadata[requestIDKey] != nil, "\(refusal)", sourceLocation: sourceLocation)
        #expect(refusal.metadata["token.sha256"] == Observability.tokenDigest(expired), sourceLocation: sourceLocation)
        #expect(metrics.counterTotal(label: MetricName.verifications) == 2, sourceLocation: sourceLocation)
    }
}
