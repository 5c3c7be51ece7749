import LayabAuth

/// The JWKS cache of a ``RemoteKeySource``: the key set in service, until when it is fresh, the
/// validators to revalidate it with, the back-off after a failed retrieval and the unknown `kid`s
/// remembered, with the rules of ``KeyCachePolicy`` that change them.
///
/// A plain value: the actor that holds it decides when retrievals run and applies each one's outcome here.
struct KeySetCache: Sendable {
    let policy: KeyCachePolicy
    /// The keys in service: the last good set, kept through failed refreshes.
    private(set) var keys: KeySet?
    private(set) var attempts = RetrievalAttempts()
    private var expiresAt: Double = 0
    /// When the keys in service were last retrieved or revalidated.
    private var retrievedAt: Double?
    private var etag: String?
    private var lastModified: String?
    private var lastFetch: Double?
    private var lastHTTPStatus: Int?
    /// The set of the last retrieval when none of its keys was usable.
    private var unusableKeys: KeySet?
    private var lastUnknownKidRefresh: Double = -.infinity
    /// Unknown kids and until when they stay unknown.
    private var unknownKids: [ExactString: Double] = [:]

    init(policy: KeyCachePolicy) { self.policy = policy }

    /// The result of one retrieval, as the cache takes it.
    struct Retrieval: Sendable {
        var status: Int?
        var result: Result<Fetched, LayabAuthError>
        /// A set retrieved in which no key is usable (the result is then a failure).
        var unusable: KeySet? = nil
        /// Bytes of the response body, for the retrieval's span.
        var bodySize: Int? = nil
        /// What kind of failure a failed one was.
        var failure: FailureClass? = nil

        /// The `result` label of ``MetricName/keyRetrievals``.
        enum FailureClass: String, Sendable {
            case network
            case httpError = "http_error"
            case invalidKeySet = "invalid_key_set"
            case noUsableKeys = "no_usable_keys"
            case fileError = "file_error"
        }

        /// The `result` label of ``MetricName/keyRetrievals``: `200`, `304`, `file`, or the failure class.
        /// - Parameter applied: what the cache made of it, when known: a `304` it could not apply is an HTTP error.
        func resultLabel(_ applied: Result<KeySet, LayabAuthError>?) -> String {
            switch (result, applied) {
            case (.failure, _): (failure ?? .network).rawValue
            case (.success, .failure?): FailureClass.httpError.rawValue
            case (.success, _): status.map(String.init) ?? "file"
            }
        }

        enum Fetched: Sendable {
            case keys(KeySet, lifetime: Double, etag: String?, lastModified: String?)
            case notModified(lifetime: Double)
        }
    }

    /// The keys in service at `now`: the last good set, while it is at most ``KeyCachePolicy/maximumStaleness``
    /// past its lifetime. The lifetime of a set whose refresh failed ends at that failure at the latest.
    func servableKeys(now: Double) -> KeySet? {
        guard let keys, now < servedUntil else { return nil }
        return keys
    }

    /// Until when the keys held may serve (infinity without a staleness limit).
    private var servedUntil: Double { expiresAt + policy.maximumStaleness }

    /// `error`, a failure to obtain keys, saying that the keys held are too stale to serve when they are:
    /// without that, a person would wonder why keys that were there a moment ago are gone.
    func explainingStaleness(_ error: LayabAuthError, now: Double) -> LayabAuthError {
        guard keys != nil, now >= servedUntil else { return error }
        let message = "the last keys obtained expired \(TimeText.duration(from: expiresAt, to: now)) ago, beyond the maximum staleness of "
            + "\(TimeText.duration(policy.maximumStaleness)) (KeyCachePolicy.maximumStaleness), and are no longer used: \(error.message)"
        return LayabAuthError(.jwksUnavailable, message, retryAfter: error.retryAfter)
    }

    /// Whether keys are held but are past the maximum staleness at `now`, so that none is served.
    func isPastMaximumStaleness(now: Double) -> Bool {
        keys != nil && now >= servedUntil
    }

    /// When the keys held stopped being fresh (meaningful while keys are held).
    var keysExpiredAt: Double { expiresAt }

    /// The values of the key set gauges at `now`.
    struct Gauges: Sendable {
        var age: Double?
        var refreshIn: Double?
        var keys: Int
    }

    func gauges(now: Double) -> Gauges {
        guard let keys else { return Gauges(keys: 0) }
        return Gauges(age: retrievedAt.map { now - $0 }, refreshIn: expiresAt - now, keys: keys.keys.count)
    }

    /// Whether the keys in service are past their lifetime and the back-off lets a refresh start.
    func isDueForRefresh(now: Double) -> Bool {
        keys != nil && now >= expiresAt && attempts.allowsAttempt(now: now)
    }

    /// `If-None-Match` and `If-Modified-Since` values for the next request: only while a set is held,
    /// since a `304` can only extend a set.
    /// The longest `ETag` or `Last-Modified` value kept to send back (RFC 7232 values are a few dozen bytes).
    static let validatorLimit = 256

    /// An `ETag` or `Last-Modified` value as the provider sent it, when it is fit to be sent back verbatim in
    /// `If-None-Match` / `If-Modified-Since`: nil for one with control bytes (a header line could be split) or
    /// longer than ``validatorLimit``, which the source then neither stores nor sends.
    static func validator(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= validatorLimit,
              !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return nil }
        return value
    }

    var validators: (etag: String?, lastModified: String?) {
        keys == nil ? (nil, nil) : (etag, lastModified)
    }

    /// Whether `kid` is in the negative cache at `now`.
    func isRememberedUnknown(_ kid: String, now: Double) -> Bool {
        guard let until = unknownKids[ExactString(kid)] else { return false }
        return until > now
    }

    /// Whether the cooldown lets an unknown `kid` start a retrieval at `now`; when it does, the cooldown restarts.
    mutating func allowUnknownKidRefresh(now: Double) -> Bool {
        guard now - lastUnknownKidRefresh >= policy.unknownKidCooldown else { return false }
        lastUnknownKidRefresh = now
        return true
    }

    /// Puts `kid` in the negative cache for one cooldown; a full cache first drops what expired, then everything.
    mutating func remember(unknownKid kid: String, now: Double) {
        if unknownKids.count >= policy.negativeCacheCapacity {
            unknownKids = unknownKids.filter { $0.value > now }
            if unknownKids.count >= policy.negativeCacheCapacity { unknownKids.removeAll() }
        }
        unknownKids[ExactString(kid)] = now + policy.unknownKidCooldown
    }

    /// Applies a completed retrieval of the keys at `location`.
    /// - Returns: the keys now in service, or the failure, carrying the back-off as its retry time.
    mutating func record(_ retrieval: Retrieval, from location: String, now: Double) -> Result<KeySet, LayabAuthError> {
        lastFetch = now
        lastHTTPStatus = retrieval.status
        unusableKeys = retrieval.unusable
        switch retrieval.result {
        case let .success(.keys(set, lifetime, etag, lastModified)):
            keys = set
            expiresAt = now + lifetime
            retrievedAt = now
            self.etag = etag
            self.lastModified = lastModified
            attempts.succeeded()
            unknownKids.removeAll()
            return .success(set)
        case let .success(.notModified(lifetime)):
            guard let keys else {
                let error = LayabAuthError(.jwksUnavailable, "\(location) answered 304 Not Modified to a request without validators")
                return .failure(failed(error, now: now))
            }
            expiresAt = now + lifetime
            retrievedAt = now
            attempts.succeeded()
            return .success(keys)
        case let .failure(error):
            return .failure(failed(error, now: now))
        }
    }

    private mutating func failed(_ error: LayabAuthError, now: Double) -> LayabAuthError {
        // Keep the last good set in service; try again after the back-off.
        if keys != nil { expiresAt = min(expiresAt, now) }
        return attempts.failed(error, now: now, policy: policy)
    }

    /// What the cache holds and did last, for ``RemoteKeySource/status()``.
    func status(location: String, discoveredFrom: String?) -> KeySourceStatus {
        KeySourceStatus(location: location, discoveredFrom: discoveredFrom, lastFetch: lastFetch, lastHTTPStatus: lastHTTPStatus,
                        etag: etag, lastModified: lastModified, expiresAt: keys == nil ? nil : expiresAt, fetchCount: attempts.count,
                        lastError: attempts.lastError, keys: keys, retryNotBefore: attempts.nextAttempt,
                        servedUntil: keys == nil || !servedUntil.isFinite ? nil : servedUntil, unusableKeys: unusableKeys)
    }
}
