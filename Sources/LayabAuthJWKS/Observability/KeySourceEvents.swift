import CoreMetrics
import LayabAuth
import Logging

/// Where a key source records what it did, in one place: each event is logged, counted
/// (``MetricName/keySourceEvents``) and kept in a history of the last ``historyLimit`` events.
///
/// Only retrievals and rare events come here: a request served from fresh keys records nothing.
struct KeySourceEvents: Sendable {
    /// Events kept for `KeySource.events()`.
    static let historyLimit = 200
    /// The longest `kid` put in a log line; longer ones are cut (a `kid` comes from the token, anyone's input).
    static let kidLimit = 64

    let observability: Observability
    /// The source's location without its query or fragment: the `jwks.source` metadata and the `source` label.
    let source: String
    /// The location as configured, query included: never logged.
    private let location: String
    private var history: [KeySourceEvent] = []
    private var lastSequence = 0

    init(location: String, observability: Observability) {
        self.observability = observability
        self.location = location
        source = Observability.withoutQuery(location)
    }

    /// `message` (an error's) with the location written without its query, as everywhere else in logs and spans.
    func withoutQuery(_ message: String) -> String {
        location == source ? message : message.replacingOccurrences(of: location, with: source)
    }

    /// The events kept, oldest first.
    var events: [KeySourceEvent] { history }

    /// The sequence number of the last event recorded (0 before any).
    var lastSequenceNumber: Int { lastSequence }

    /// Logs, counts and keeps one event.
    mutating func record(_ kind: KeySourceEvent.Kind, _ level: Logger.Level, _ message: String, _ metadata: [String: String] = [:],
                                 now: Double)
    {
        var metadata = metadata
        metadata["jwks.source"] = source
        lastSequence += 1
        history.append(KeySourceEvent(sequence: lastSequence, time: now, kind: kind, level: level, message: message, metadata: metadata))
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
        observability.logger.log(level: level, "\(message)", metadata: metadata.mapValues { .string($0) })
        Counter(label: MetricName.keySourceEvents, dimensions: [("source", source), ("event", kind.rawValue)], factory: observability.metrics)
            .increment()
    }

    /// A retrieval that starts now.
    mutating func retrievalStarted(validators: (etag: String?, lastModified: String?), now: Double) {
        var metadata: [String: String] = [:]
        if let etag = validators.etag { metadata["etag"] = etag }
        record(.retrievalStarted, .debug, validators.etag == nil && validators.lastModified == nil ? "key set retrieval started"
            : "key set revalidation started", metadata, now: now)
    }

    /// A completed retrieval: its event, the key set change it made, and the retrieval metrics.
    /// - Parameters:
    ///   - outcome: what the cache made of it (a `304` without a set held fails there).
    ///   - previous: the keys in service before it.
    mutating func retrievalCompleted(_ retrieval: KeySetCache.Retrieval, outcome: Result<KeySet, LayabAuthError>, previous: KeySet?,
                                             etag: String?, duration: Double, now: Double)
    {
        let result = retrieval.resultLabel(outcome)
        var metadata = ["duration_ms": String(Int((duration * 1000).rounded())), "result": result]
        if let status = retrieval.status { metadata["http.status"] = String(status) }
        switch outcome {
        case let .success(keys):
            if let etag { metadata["etag"] = etag }
            metadata["keys"] = String(keys.keys.count)
            let message = switch retrieval.status {
            case 304?: "key set not modified"
            case nil: "key set read"
            default: "key set retrieved"
            }
            record(.retrievalFinished, .debug, message, metadata, now: now)
            if let previous { keySetChanged(from: previous, to: keys, now: now) }
        case let .failure(error):
            metadata["error"] = withoutQuery(error.message)
            record(.retrievalFailed, .warning, "key set retrieval failed", metadata, now: now)
        }
        let dimensions = [("source", source)]
        Counter(label: MetricName.keyRetrievals, dimensions: dimensions + [("result", result)], factory: observability.metrics).increment()
        CoreMetrics.Timer(label: MetricName.keyRetrievalDuration, dimensions: dimensions, factory: observability.metrics)
            .recordNanoseconds(Int64((duration * 1e9).rounded()))
    }

    /// The kids added and removed between two sets, when any was. Keys are told apart by their thumbprint, so
    /// that a `kid` reused for new key material shows as removed and added; a key without `kid` is named by
    /// its thumbprint.
    private mutating func keySetChanged(from previous: KeySet, to current: KeySet, now: Double) {
        let before = Set(previous.keys.map(\.thumbprint))
        let after = Set(current.keys.map(\.thumbprint))
        let added = current.keys.filter { !before.contains($0.thumbprint) }.map(Self.name)
        let removed = previous.keys.filter { !after.contains($0.thumbprint) }.map(Self.name)
        guard !added.isEmpty || !removed.isEmpty else { return }
        var metadata = ["keys": String(current.keys.count)]
        if !added.isEmpty { metadata["kids.added"] = added.joined(separator: ",") }
        if !removed.isEmpty { metadata["kids.removed"] = removed.joined(separator: ",") }
        record(.keySetChanged, .info, "key set changed", metadata, now: now)
    }

    private static func name(_ key: VerificationKey) -> String {
        key.kid.map(printableKid) ?? "thumbprint:\(key.thumbprint)"
    }

    /// A `kid` fit for a log line: control characters replaced, at most ``kidLimit`` characters.
    static func printableKid(_ kid: String) -> String {
        let printable = String(String.UnicodeScalarView(kid.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
        return printable.count > kidLimit ? printable.prefix(kidLimit) + "…" : printable
    }

    /// An unknown `kid` looked up, and what the lookup found.
    mutating func unknownKid(_ kid: String, outcome: KeySourceEvent.UnknownKidOutcome, error: LayabAuthError? = nil, now: Double) {
        var metadata = ["kid": Self.printableKid(kid), "outcome": outcome.rawValue]
        if let error { metadata["error"] = withoutQuery(error.message) }
        let level: Logger.Level = switch outcome {
        case .retrieved, .stillUnknown: .info
        // A flood of made-up kids lands here: quiet by default.
        case .rememberedUnknown: .debug
        case .providerDown: .warning
        }
        record(.unknownKid, level, "unknown kid looked up", metadata, now: now)
    }

    /// The keys held went past the maximum staleness: no longer served.
    mutating func stalenessLimitReached(expiredAt: Double, maximumStaleness: Double, now: Double) {
        record(.stalenessLimitReached, .error, "key set past its maximum staleness, no longer served",
               ["expired_at": TimeText.iso8601(expiredAt), "maximum_staleness": TimeText.duration(maximumStaleness)], now: now)
    }

    /// Sets the key set gauges: age, seconds until refresh, usable keys (0 and no age without keys).
    func recordGauges(_ gauges: KeySetCache.Gauges) {
        let dimensions = [("source", source)]
        Gauge(label: MetricName.keySetKeys, dimensions: dimensions, factory: observability.metrics).record(gauges.keys)
        if let age = gauges.age { Gauge(label: MetricName.keySetAge, dimensions: dimensions, factory: observability.metrics).record(age) }
        if let refreshIn = gauges.refreshIn {
            Gauge(label: MetricName.keySetRefreshIn, dimensions: dimensions, factory: observability.metrics).record(refreshIn)
        }
    }
}
