import CoreMetrics
import LayabAuth
import Synchronization

/// The metrics of one verifier (names in ``MetricName``), made once from its ``Observability`` and shared by
/// the verifier's copies: a verification updates handlers it already holds, never asks the backend for one.
public final class VerificationMetrics: Sendable {
    /// Whether a verification was answered by the verified-token cache.
    public enum CacheUse: String, Sendable, CaseIterable {
        case hit, miss
        /// A verifier without a cache.
        case off
    }

    /// The `verifier` label: `jwks`, `introspection`, `multi_issuer`, `hybrid`, or an application's own.
    public let verifier: String
    public let observability: Observability
    /// The duration timers by cache use: fields, so that recording one is no lookup.
    private let hitDurations: Timer
    private let missDurations: Timer
    private let uncachedDurations: Timer
    private let cacheHits: Counter
    private let cacheMisses: Counter
    private let replaysRefused: Counter
    /// `outcome="valid"` by scheme, made at once: what nearly every request counts.
    private let validBearer: Counter
    private let validDPoP: Counter
    /// Outcome counters by outcome, scheme and (when labelled) kid: made on first use, then reused.
    private let outcomes = Mutex<[OutcomeKey: Counter]>([:])

    private struct OutcomeKey: Hashable {
        let outcome: String
        let scheme: String
        let kid: String?
    }

    public init(verifier: String, observability: Observability) {
        self.verifier = verifier
        self.observability = observability
        let factory = observability.metrics
        func durations(_ use: CacheUse) -> Timer {
            Timer(label: MetricName.verificationDuration, dimensions: [("verifier", verifier), ("cache", use.rawValue)], factory: factory)
        }
        hitDurations = durations(.hit)
        missDurations = durations(.miss)
        uncachedDurations = durations(.off)
        cacheHits = Counter(label: MetricName.tokenCacheLookups, dimensions: [("result", "hit")], factory: factory)
        cacheMisses = Counter(label: MetricName.tokenCacheLookups, dimensions: [("result", "miss")], factory: factory)
        replaysRefused = Counter(label: MetricName.dpopReplaysRefused, factory: factory)
        validBearer = Counter(label: MetricName.verifications, dimensions: [("outcome", "valid"), ("verifier", verifier), ("scheme", "bearer")],
                              factory: factory)
        validDPoP = Counter(label: MetricName.verifications, dimensions: [("outcome", "valid"), ("verifier", verifier), ("scheme", "dpop")],
                            factory: factory)
    }

    /// Counts one verification on a server's path: `valid`, or the code it was refused with.
    public func recordOutcome(_ outcome: String, scheme: String, kid: String? = nil) {
        // The usual request, counted without the lock or hashing a key.
        if outcome == "valid", !observability.labelsKid {
            if scheme == "bearer" { return validBearer.increment() }
            if scheme == "dpop" { return validDPoP.increment() }
        }
        let key = OutcomeKey(outcome: outcome, scheme: scheme, kid: observability.labelsKid ? kid ?? "" : nil)
        let counter = outcomes.withLock { counters in
            if let counter = counters[key] { return counter }
            var dimensions = [("outcome", outcome), ("verifier", verifier), ("scheme", scheme)]
            if let kid = key.kid { dimensions.append(("kid", kid)) }
            let counter = Counter(label: MetricName.verifications, dimensions: dimensions, factory: observability.metrics)
            counters[key] = counter
            return counter
        }
        counter.increment()
    }

    /// Records how long one verification took, and the cache lookup it made.
    public func recordDuration(_ duration: Duration, cache: CacheUse) {
        switch cache {
        case .hit:
            hitDurations.recordNanoseconds(duration.nanoseconds)
            cacheHits.increment()
        case .miss:
            missDurations.recordNanoseconds(duration.nanoseconds)
            cacheMisses.increment()
        case .off:
            uncachedDurations.recordNanoseconds(duration.nanoseconds)
        }
    }

    /// Counts a DPoP proof refused because its `jti` was used before.
    public func recordReplayRefused() {
        replaysRefused.increment()
    }
}

extension Duration {
    /// The whole nanoseconds of this duration (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole + attoseconds / 1_000_000_000
    }
}
