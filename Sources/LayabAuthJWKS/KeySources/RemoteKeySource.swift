import Foundation
import LayabAuth
import Tracing

/// A JWK Set behind a URI (`https://`, `http://`, `file://` or a plain path), cached and refreshed.
///
/// - Fresh keys are served from memory; expired keys keep serving while one background refresh runs
///   (requests never wait on the identity provider once keys were obtained).
/// - Refreshes revalidate with `If-None-Match`/`If-Modified-Since`; a `304` extends the current set.
/// - A failed refresh keeps the last good set in service, for at most ``KeyCachePolicy/maximumStaleness``
///   past its lifetime (then `jwks_unavailable`); the error and the staleness are in ``status()``.
/// - An unknown `kid` starts a retrieval at most once per ``KeyCachePolicy/unknownKidCooldown`` (tokens
///   arriving meanwhile wait for the one in flight), and the `kid` is remembered as unknown for that long.
///   When the provider cannot be reached, an unknown `kid` is `jwks_unavailable`, not `key_not_found`.
/// - At most one retrieval is in flight; every waiter shares its result. A cancelled waiter leaves at
///   once; the retrieval is cancelled when its last waiter leaves.
///
/// The actor runs retrievals; the cache they fill, and its rules, are a `KeySetCache` (KeySetCache.swift).
///
/// Retrievals and rare events (a failed retrieval, a key set that changed, an unknown `kid`, the staleness
/// limit) are logged, counted and traced through the ``Observability`` given (`KeySourceEvents`), and kept in
/// ``events()``; serving fresh keys records nothing.
public actor RemoteKeySource: KeySource {
    public enum Location: Sendable, Hashable, CustomStringConvertible {
        case http(String)
        case file(String)

        /// Classifies a JWKS location as given on a command line or in a configuration.
        ///
        /// A `file:` URI (RFC 8089) names a local file: `file:///path` or `file://localhost/path`, its path
        /// percent-decoded. Any other host is refused rather than read as a relative path.
        /// - Throws: `jwks_unavailable` for an empty location, an unsupported scheme, a `file:` URI with a
        ///   host other than `localhost`, or a path that is not valid percent-encoding or holds a NUL byte.
        public init(_ text: String) throws(LayabAuthError) {
            let lower = text.lowercased()
            if text.allSatisfy(\.isWhitespace) {
                throw LayabAuthError(.jwksUnavailable, "the JWKS URI is empty (use https://, http://, file:// or a path)")
            } else if lower.hasPrefix("https://") || lower.hasPrefix("http://") {
                self = .http(text)
            } else if lower.hasPrefix("file://") {
                self = .file(try Self.localPath(fromFileURI: text))
            } else if let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy({ $0.isLetter }), text[..<colon].count > 1 {
                throw LayabAuthError(.jwksUnavailable, "unsupported JWKS URI scheme \"\(text[..<colon])\" (use https://, http://, file:// or a path)")
            } else {
                self = .file(text)
            }
        }

        /// The local path a `file://` URI names.
        private static func localPath(fromFileURI text: String) throws(LayabAuthError) -> String {
            let rest = text.dropFirst("file://".count)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let host = rest[..<slash]
            guard host.isEmpty || host.lowercased() == "localhost" else {
                throw LayabAuthError(.jwksUnavailable, "the file URI \(text) names the host \"\(host)\": only local files can be read (file:///path, file://localhost/path, or a plain path)")
            }
            let encoded = String(rest[slash...])
            guard !encoded.isEmpty else { throw LayabAuthError(.jwksUnavailable, "the file URI \(text) names no file") }
            guard let path = encoded.removingPercentEncoding else {
                throw LayabAuthError(.jwksUnavailable, "the file URI \(text) is not valid percent-encoding")
            }
            guard !path.utf8.contains(0) else { throw LayabAuthError(.jwksUnavailable, "the file URI \(text) decodes to a path holding a NUL byte") }
            return path
        }

        public var description: String {
            switch self {
            case let .http(url): url
            case let .file(path): path
            }
        }
    }

    public nonisolated let location: Location
    public nonisolated let options: HTTPOptions
    public nonisolated let cachePolicy: KeyCachePolicy
    public nonisolated let keyPolicy: KeyPolicy
    private let clock: @Sendable () -> Double
    private let discoveredFrom: String?

    private var cache: KeySetCache {
        // Every change of the cache is published for readers that do not hop onto the actor.
        didSet { ready.publish(cache.keys, freshUntil: cache.keysExpiredAt) }
    }
    /// The fresh keys of ``cache``, for ``readyKeys()``.
    private let ready = ReadyKeys()
    private var history: KeySourceEvents
    /// The staleness limit was reported for the keys held; cleared when a retrieval succeeds.
    private var stalenessReported = false
    private var inFlight: SharedRetrieval<KeySet>?
    private var retrievalGeneration = 0

    /// - Throws: `invalid_configuration` for options or a cache policy their `validate()` refuses.
    public init(_ location: Location, options: HTTPOptions = HTTPOptions(), cachePolicy: KeyCachePolicy = .default,
                keyPolicy: KeyPolicy = .default, discoveredFrom: String? = nil, clock: @escaping @Sendable () -> Double = SystemClock.now,
                observability: Observability = Observability()) throws(LayabAuthError)
    {
        try options.validate()
        try cachePolicy.validate()
        self.location = location
        self.options = options
        self.cachePolicy = cachePolicy
        self.keyPolicy = keyPolicy
        self.discoveredFrom = discoveredFrom
        self.clock = clock
        self.cache = KeySetCache(policy: cachePolicy)
        self.history = KeySourceEvents(location: location.description, observability: observability)
    }

    public init(uri: String, options: HTTPOptions = HTTPOptions(), cachePolicy: KeyCachePolicy = .default,
                keyPolicy: KeyPolicy = .default, observability: Observability = Observability()) throws(LayabAuthError)
    {
        try self.init(try Location(uri), options: options, cachePolicy: cachePolicy, keyPolicy: keyPolicy, observability: observability)
    }

    /// The keys in service while they are fresh, read without the actor; nil when they are stale or too old,
    /// or before the first retrieval (then ``currentKeys()`` applies the rules).
    public nonisolated func readyKeys() -> KeySet? {
        ready.keys(now: clock())
    }

    public func currentKeys() async throws(LayabAuthError) -> KeySet {
        let now = clock()
        if let keys = cache.servableKeys(now: now) {
            if cache.isDueForRefresh(now: now), inFlight == nil {
                // Stale: refresh in the background, keep serving what we have.
                startRetrieval()
            }
            return keys
        }
        // No keys yet, or the last good ones are past the maximum staleness: wait for a retrieval.
        if cache.isPastMaximumStaleness(now: now), !stalenessReported {
            stalenessReported = true
            history.stalenessLimitReached(expiredAt: cache.keysExpiredAt, maximumStaleness: cachePolicy.maximumStaleness, now: now)
        }
        let outcome: Result<KeySet, LayabAuthError>
        if let waiter = inFlight?.join() {
            outcome = try await wait(for: waiter)
        } else if let refusal = cache.attempts.refusal(now: now) {
            outcome = .failure(refusal)
        } else {
            outcome = try await wait(for: startWaitedRetrieval())
        }
        return try outcome.mapError { cache.explainingStaleness($0, now: clock()) }.get()
    }

    /// Looks `kid` up in a retrieval: one in flight is joined whatever the cooldown says (it limits only
    /// how often a new retrieval starts). A retrieval that started before the token arrived may predate
    /// the kid's publication, or fail on an outage the provider has since recovered from: then one more
    /// may start, still once per cooldown.
    /// - Throws: `jwks_unavailable` when the retrieval failed, or when none may start and the last one
    ///   failed: the provider being down says nothing about the token.
    public func refresh(forUnknownKid kid: String) async throws(LayabAuthError) -> KeySet? {
        do {
            let keys = try await lookUp(unknownKid: kid)
            let outcome: KeySourceEvent.UnknownKidOutcome = if let keys {
                keys.keys(withKid: kid).isEmpty ? .stillUnknown : .retrieved
            } else {
                .rememberedUnknown
            }
            history.unknownKid(kid, outcome: outcome, now: clock())
            return keys
        } catch {
            history.unknownKid(kid, outcome: .providerDown, error: error, now: clock())
            throw error
        }
    }

    private func lookUp(unknownKid kid: String) async throws(LayabAuthError) -> KeySet? {
        // A retrieval may have brought the kid since the caller looked at the keys.
        if let keys = cache.servableKeys(now: clock()), !keys.keys(withKid: kid).isEmpty { return keys }
        if cache.isRememberedUnknown(kid, now: clock()) { return try withoutRetrieval() }
        var latest: Result<KeySet, LayabAuthError>?
        var waited: SharedRetrieval<KeySet>?
        for _ in 0..<3 {
            let waiter: SharedRetrieval<KeySet>.Waiter
            if let inFlight, inFlight !== waited, let joined = inFlight.join() {
                waiter = joined
            } else if cache.allowUnknownKidRefresh(now: clock()) {
                waiter = startWaitedRetrieval()
            } else {
                break
            }
            waited = waiter.retrieval
            let result = try await wait(for: waiter)
            if case let .success(keys) = result, !keys.keys(withKid: kid).isEmpty { return keys }
            latest = result
        }
        switch latest {
        case let .failure(error)?:
            throw error
        case let .success(keys)?:
            cache.remember(unknownKid: kid, now: clock())
            return keys
        case nil:
            return try withoutRetrieval(remembering: kid)
        }
    }

    public func forceRefresh() async throws(LayabAuthError) -> KeySet {
        try await wait(for: inFlight?.join() ?? startWaitedRetrieval()).get()
    }

    public func status() async -> KeySourceStatus {
        cache.status(location: location.description, discoveredFrom: discoveredFrom)
    }

    /// The last 200 events, oldest first.
    public func events() async -> [KeySourceEvent] { history.events }

    /// Sets the key set gauges (age, seconds until refresh, keys) to their values now. They are set at every
    /// retrieval; age and refresh-in change with time, so a `/metrics` handler calls this before a scrape.
    public func recordGauges() async {
        history.recordGauges(cache.gauges(now: clock()))
    }

    /// Waiters on the retrieval in flight (for tests).
    var retrievalWaiters: Int { inFlight?.waiterCount ?? 0 }

    /// An unknown kid that gets no retrieval now (cooldown or negative cache): unknown for certain only
    /// while the last retrieval succeeded.
    private func withoutRetrieval(remembering kid: String? = nil) throws(LayabAuthError) -> KeySet? {
        if let failure = cache.attempts.lastFailure(now: clock()) { throw failure }
        if let kid { cache.remember(unknownKid: kid, now: clock()) }
        return nil
    }

    /// The outcome of the retrieval `waiter` joined.
    /// - Throws: `jwks_unavailable` saying the wait was cancelled, when the calling task was.
    private func wait(for waiter: SharedRetrieval<KeySet>.Waiter) async throws(LayabAuthError) -> Result<KeySet, LayabAuthError> {
        guard let outcome = await waiter.outcome() else {
            throw LayabAuthError(.jwksUnavailable, "cancelled while waiting for keys from \(location)")
        }
        return outcome
    }

    /// A retrieval in the background: nobody waits, so nothing cancels it.
    private func startRetrieval() {
        inFlight = SharedRetrieval(retrievalWork())
    }

    private func startWaitedRetrieval() -> SharedRetrieval<KeySet>.Waiter {
        let waiter = SharedRetrieval.started(retrievalWork())
        inFlight = waiter.retrieval
        return waiter
    }

    private func retrievalWork() -> @Sendable () async -> Result<KeySet, LayabAuthError> {
        let validators = cache.validators
        retrievalGeneration += 1
        let generation = retrievalGeneration
        history.retrievalStarted(validators: validators, now: clock())
        // The span is a child of the task that asked for the keys, wherever the retrieval runs.
        let context = ServiceContext.current ?? .topLevel
        return { [location, options, cachePolicy, keyPolicy, clock, tracer = history.observability.activeTracer, history] in
            let started = ContinuousClock.now
            let outcome = await KeySourceTracing.traced(tracer, context: context, events: history) {
                await Self.retrieve(location, validators: validators, options: options, cachePolicy: cachePolicy, keyPolicy: keyPolicy, now: clock)
            }
            let elapsed = ContinuousClock.now - started
            let duration = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return await self.apply(outcome, generation: generation, abandoned: Task.isCancelled, duration: duration)
        }
    }

    private func apply(_ retrieval: KeySetCache.Retrieval, generation: Int, abandoned: Bool, duration: Double) -> Result<KeySet, LayabAuthError> {
        if generation == retrievalGeneration { inFlight = nil }
        // Every waiter left and the transfer was cancelled: that says nothing about the provider.
        if abandoned, case let .failure(error) = retrieval.result { return .failure(error) }
        let previous = cache.keys
        let now = clock()
        let outcome = cache.record(retrieval, from: location.description, now: now)
        if case .success = outcome { stalenessReported = false }
        history.retrievalCompleted(retrieval, outcome: outcome, previous: previous, etag: cache.validators.etag, duration: duration, now: now)
        history.recordGauges(cache.gauges(now: now))
        return outcome
    }

    /// One retrieval, off the actor: HTTP through libcurl, or a file read.
    static func retrieve(_ location: Location, validators: (etag: String?, lastModified: String?), options: HTTPOptions,
                         cachePolicy: KeyCachePolicy, keyPolicy: KeyPolicy, now: @Sendable () -> Double) async -> KeySetCache.Retrieval
    {
        switch location {
        case let .file(path):
            // Opening a path can block (a FIFO, a network file system): never on the cooperative pool.
            let read = await OwnThread.run(name: "layabauth-jwks-file") {
                Result { () throws(LayabAuthError) in try FileSource.read(path, limit: options.maximumBodySize) }
            }
            let body: [UInt8]
            switch read {
            case let .success(bytes): body = bytes
            case let .failure(error): return KeySetCache.Retrieval(status: nil, result: .failure(error), failure: .fileError)
            }
            do {
                let set = try parse(body, from: path, keyPolicy: keyPolicy, contentType: nil)
                var fetched = retrieval(of: set, status: nil, from: path) {
                    .keys($0, lifetime: cachePolicy.lifetime(of: [:], now: now()), etag: nil, lastModified: nil)
                }
                fetched.bodySize = body.count
                return fetched
            } catch {
                return KeySetCache.Retrieval(status: nil, result: .failure(error), bodySize: body.count, failure: .invalidKeySet)
            }
        case let .http(url):
            var headers: [String] = []
            if let etag = validators.etag { headers.append("If-None-Match: \(etag)") }
            if let lastModified = validators.lastModified { headers.append("If-Modified-Since: \(lastModified)") }
            let response: HTTPResponse
            do { response = try await HTTPClient.get(url, headers: headers, options: options) } catch {
                return KeySetCache.Retrieval(status: nil, result: .failure(error), failure: .network)
            }
            let lifetime = cachePolicy.lifetime(of: response.headers, now: now())
            let noStore = KeyCachePolicy.Directives(headers: response.headers).noStore
            switch response.status {
            case 304:
                return KeySetCache.Retrieval(status: 304, result: .success(.notModified(lifetime: lifetime)), bodySize: response.body.count)
            case 200:
                do {
                    let set = try parse(response.body, from: url, keyPolicy: keyPolicy, contentType: response.headers["content-type"])
                    var fetched = retrieval(of: set, status: 200, from: url) {
                        .keys($0, lifetime: lifetime, etag: noStore ? nil : KeySetCache.validator(response.headers["etag"]),
                              lastModified: noStore ? nil : KeySetCache.validator(response.headers["last-modified"]))
                    }
                    fetched.bodySize = response.body.count
                    return fetched
                } catch {
                    return KeySetCache.Retrieval(status: 200, result: .failure(error), bodySize: response.body.count, failure: .invalidKeySet)
                }
            default:
                let excerpt = response.body.isEmpty ? "(empty body)" : response.bodyExcerpt()
                return KeySetCache.Retrieval(status: response.status, result: .failure(LayabAuthError(
                    .jwksUnavailable, "HTTP \(response.status) error while retrieving keys from \(url): \(excerpt)")),
                    bodySize: response.body.count, failure: .httpError)
            }
        }
    }

    /// A JWK Set document, with errors that name the source and say what was wrong; it may hold no usable key.
    static func parse(_ body: [UInt8], from source: String, keyPolicy: KeyPolicy, contentType: String?) throws(LayabAuthError) -> KeySet {
        let set: KeySet
        do { set = try KeySet(jwksJSON: body, origin: .remote, policy: keyPolicy) } catch {
            let type = contentType.map { " (Content-Type \($0))" } ?? ""
            // A login or error page in place of the keys is common enough to be named as such, by its title:
            // its markup would hide the one line that matters.
            if let page = HTMLSummary(body, contentType: contentType) {
                throw LayabAuthError(.jwksUnavailable, "invalid key set from \(source): the response is HTML, not a JWK Set\(type): \(page)")
            }
            let excerpt = String(decoding: body.prefix(80), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            throw LayabAuthError(.jwksUnavailable, "invalid key set from \(source): \(error.message)\(type); the body starts with: \(excerpt)")
        }
        return set
    }

    /// A retrieved set's outcome: its keys, or `jwks_unavailable` when none is usable, the set kept so that
    /// the tools can list the skipped keys with their reasons.
    static func retrieval(of set: KeySet, status: Int?, from source: String,
                          _ fetched: (KeySet) -> KeySetCache.Retrieval.Fetched) -> KeySetCache.Retrieval
    {
        guard set.isEmpty else { return KeySetCache.Retrieval(status: status, result: .success(fetched(set))) }
        let reasons = set.skipped.isEmpty ? "the set is empty" : set.skipped.map(\.description).joined(separator: "; ")
        return KeySetCache.Retrieval(status: status, result: .failure(LayabAuthError(.jwksUnavailable, "no usable keys from \(source): \(reasons)")),
                                     unusable: set, failure: .noUsableKeys)
    }
}
