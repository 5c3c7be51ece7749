import CoreMetrics
import Logging
import Tracing
import LayabAuth

/// Where LayabAuth reports what it did: a swift-log `Logger`, a swift-metrics backend and a
/// swift-distributed-tracing tracer (README "Observability"; the names in ``MetricName``).
///
/// Key sources, verifiers and stores take one at construction. The server integrations log a request's
/// refusal to the request's own logger (it carries the request id) and open their spans under the
/// request's span, so that what LayabAuth did lands beside what the framework did.
///
/// Nothing logged, measured or traced carries a token, a secret or a private key: a token is named by the
/// first 12 hex digits of its SHA-256 (``tokenDigest(_:)``), with its `kid`, `iss` and `sub`.
public struct Observability: Sendable {
    /// The logger of key retrieval, introspection and replay stores.
    public var logger: Logger
    /// The metrics backend: by default the one `MetricsSystem.bootstrap` installed when this value was
    /// made, so bootstrap metrics before building verifiers.
    public var metrics: any MetricsFactory
    /// The tracer; nil, the default, uses `InstrumentationSystem.tracer` (the bootstrapped one) at each span.
    public var tracer: (any Tracer)?
    /// Adds a `kid` label to the verification counters. Off by default: labels stay low-cardinality, and
    /// every key rotation would add a series.
    public var labelsKid: Bool

    public init(logger: Logger = Logger(label: "layabauth"), metrics: (any MetricsFactory)? = nil, tracer: (any Tracer)? = nil,
                labelsKid: Bool = false)
    {
        self.logger = logger
        self.metrics = metrics ?? MetricsSystem.factory
        self.tracer = tracer
        self.labelsKid = labelsKid
    }

    /// The tracer spans go to.
    public var activeTracer: any Tracer { tracer ?? InstrumentationSystem.tracer }

    /// The tracer spans go to, nil when it is the no-op one. Asked at each verification, so that a tracer
    /// bootstrapped (or bound to the task with `withTracer`) after this value was made is used. The usual
    /// answer, no tracing at all, costs one type check: when the active instrument is the no-op one, no tracer
    /// can be among it, and `InstrumentationSystem.tracer`'s search for one (a cast to a protocol) is skipped.
    var recordingTracer: (any Tracer)? {
        if let tracer { return tracer is NoOpTracer ? nil : tracer }
        if InstrumentationSystem.instrument is NoOpInstrument { return nil }
        let found = InstrumentationSystem.tracer
        return found is NoOpTracer ? nil : found
    }

    /// A URL as logs, metric labels and spans show it: without its query and fragment, which may carry
    /// credentials or per-request values.
    static func withoutQuery(_ url: String) -> String {
        String(url.prefix { $0 != "?" && $0 != "#" })
    }

    /// How logs and traces name a token: the first 12 hex digits of its SHA-256, never the token itself.
    public static func tokenDigest(_ token: String) -> String {
        let digest = SHA256.digest(token.utf8) ?? []
        return String(digest.prefix(6).map { byte in String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16) }.joined())
    }
}
