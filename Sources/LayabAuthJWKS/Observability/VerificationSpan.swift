import LayabAuth
import Tracing

/// The span of one verification ("layabauth.verify"), a child of the task's current span (the request's, in
/// the server integrations), with its algorithm, `kid`, outcome and cache use; and its time, for
/// ``VerificationMetrics``. No token, claim value or key material goes into a span.
struct VerificationSpan {
    static let name = "layabauth.verify"

    /// Nil under the no-op tracer (the default): then a verification reads no wall clock and no task-local
    /// context for a span nobody keeps.
    private let span: (any Span)?
    private let start: ContinuousClock.Instant
    private let metrics: VerificationMetrics

    init(_ metrics: VerificationMetrics) {
        self.metrics = metrics
        span = metrics.observability.recordingTracer.map { Self.start($0) }
        start = .now
    }

    /// A span of `tracer` under the task's current context.
    private static func start<T: Tracer>(_ tracer: T) -> any Span {
        tracer.startSpan(name, context: ServiceContext.current ?? .topLevel, ofKind: .internal, at: DefaultTracerClock.now,
                         function: #function, file: #fileID, line: #line)
    }

    /// Ends the span with the token's algorithm and `kid` (when the token was decoded) and the outcome.
    func end(_ outcome: Result<VerifiedToken, LayabAuthError>, header: JOSEHeader?, cache: VerificationMetrics.CacheUse) {
        metrics.recordDuration(.now - start, cache: cache)
        guard let span else { return }
        if span.isRecording {
            span.attributes["layabauth.verifier"] = metrics.verifier
            span.attributes["layabauth.cache_hit"] = cache == .hit
            if let header {
                span.attributes["layabauth.alg"] = header.algorithmName
                if let kid = header.kid { span.attributes["layabauth.kid"] = kid }
            }
            switch outcome {
            case .success: span.attributes["layabauth.outcome"] = "valid"
            case let .failure(error):
                span.attributes["layabauth.outcome"] = error.code.rawValue
                span.setStatus(SpanStatus(code: .error, message: error.code.rawValue))
            }
        }
        span.end()
    }
}
