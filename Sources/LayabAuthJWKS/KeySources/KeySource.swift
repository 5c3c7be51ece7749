import LayabAuth

/// Where a verifier gets its keys: the one abstraction behind the server integrations and the inspector.
public protocol KeySource: Sendable {
    /// The keys to verify with now, retrieving them first if none are held yet.
    /// - Throws: `jwks_unavailable` when no key set was obtained, or when the last good one is past the
    ///   maximum staleness and cannot be refreshed, or when the calling task was cancelled while waiting;
    ///   a failed refresh keeps the last good set in service (within that limit) and is reported through
    ///   ``status()``.
    func currentKeys() async throws(LayabAuthError) -> KeySet

    /// The keys ``currentKeys()`` would return now, when the source holds them ready and handing them out
    /// changes nothing (fresh keys: no retrieval, no refresh to start, nothing recorded). Read without an
    /// actor hop or a suspension: the verified-token cache's hit path. Nil means ask ``currentKeys()``, which
    /// keeps every rule of the source (stale keys start a background refresh, the staleness limit, waiting
    /// for a retrieval). A source that keeps no such snapshot answers nil, the default.
    func readyKeys() -> KeySet?

    /// A token named `kid`, which the current keys lack: refresh if the rate limits allow.
    /// - Returns: the refreshed keys, or nil when no refresh took place (cooldown, negative cache, static source).
    /// - Throws: `jwks_unavailable` when the keys cannot be retrieved now, so whether `kid` exists is unknown.
    func refresh(forUnknownKid kid: String) async throws(LayabAuthError) -> KeySet?

    /// Retrieves the keys now, whatever the cache says (the inspector's refresh key).
    func forceRefresh() async throws(LayabAuthError) -> KeySet

    /// What the source did last: for the inspector and for logs.
    func status() async -> KeySourceStatus

    /// The source's recent events (retrievals, failures, key set changes, unknown `kid`s), oldest first, as
    /// they were logged. Empty for a source that keeps none.
    func events() async -> [KeySourceEvent]

    /// Sets the key set gauges (``MetricName/keySetAge``, ``MetricName/keySetRefreshIn``,
    /// ``MetricName/keySetKeys``) to their values now. A source sets them at every retrieval; the age and the
    /// time until refresh move with the clock, so a `/metrics` handler calls this before each scrape.
    func recordGauges() async
}

extension KeySource {
    public func readyKeys() -> KeySet? { nil }
    public func events() async -> [KeySourceEvent] { [] }
    public func recordGauges() async {}
}

/// Observability of a key source.
public struct KeySourceStatus: Sendable {
    /// The JWKS URI, file path or "configured keys".
    public var location: String
    /// The issuer the URI was discovered from, when discovery was used.
    public var discoveredFrom: String?
    /// Seconds since 1970 of the last completed retrieval attempt.
    public var lastFetch: Double?
    /// HTTP status of the last response (nil for files and static keys).
    public var lastHTTPStatus: Int?
    public var etag: String?
    public var lastModified: String?
    /// Until when the current keys are fresh (seconds since 1970).
    public var expiresAt: Double?
    /// Completed retrieval attempts, successful or not.
    public var fetchCount: Int
    /// The last failure; kept until a retrieval succeeds.
    public var lastError: LayabAuthError?
    /// After a failure, when the source may try again (seconds since 1970); nil when the last retrieval
    /// succeeded. A server's `Retry-After` counts down to it.
    public var retryNotBefore: Double?
    /// The keys in service.
    public var keys: KeySet?
    /// Until when ``keys`` may serve at the latest (seconds since 1970): their lifetime plus the cache
    /// policy's maximum staleness. Past it, a source whose refreshes keep failing answers `jwks_unavailable`.
    /// Nil without keys or without a limit.
    public var servedUntil: Double?
    /// The set of the last retrieval when none of its keys was usable: its `skipped` keys say why.
    public var unusableKeys: KeySet?

    public init(location: String, discoveredFrom: String? = nil, lastFetch: Double? = nil, lastHTTPStatus: Int? = nil, etag: String? = nil,
                lastModified: String? = nil, expiresAt: Double? = nil, fetchCount: Int = 0, lastError: LayabAuthError? = nil, keys: KeySet? = nil,
                retryNotBefore: Double? = nil, servedUntil: Double? = nil, unusableKeys: KeySet? = nil)
    {
        self.location = location
        self.discoveredFrom = discoveredFrom
        self.lastFetch = lastFetch
        self.lastHTTPStatus = lastHTTPStatus
        self.etag = etag
        self.lastModified = lastModified
        self.expiresAt = expiresAt
        self.fetchCount = fetchCount
        self.lastError = lastError
        self.keys = keys
        self.retryNotBefore = retryNotBefore
        self.servedUntil = servedUntil
        self.unusableKeys = unusableKeys
    }

    /// Whether the keys held are past ``servedUntil`` at `now`, so that the source no longer serves them.
    public func isTooStale(now: Double) -> Bool {
        guard let servedUntil, keys != nil else { return false }
        return now >= servedUntil
    }

    /// Seconds the keys in service are past their lifetime (0 when fresh).
    public func staleness(now: Double) -> Double {
        guard let expiresAt, keys != nil else { return 0 }
        return max(0, now - expiresAt)
    }
}

/// Keys the application configured: JWKS data, JWKs, PEM keys, HMAC secrets. Never refreshes.
public struct StaticKeySource: KeySource {
    public let keys: KeySet
    public let location: String

    public init(_ keys: KeySet, location: String = "configured keys") {
        self.keys = keys
        self.location = location
    }

    public func currentKeys() async throws(LayabAuthError) -> KeySet { keys }
    public func readyKeys() -> KeySet? { keys }
    public func refresh(forUnknownKid kid: String) async -> KeySet? { nil }
    public func forceRefresh() async throws(LayabAuthError) -> KeySet { keys }
    public func status() async -> KeySourceStatus { KeySourceStatus(location: location, keys: keys) }
}
