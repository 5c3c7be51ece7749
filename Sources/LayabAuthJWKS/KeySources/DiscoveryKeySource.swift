import Foundation
import LayabAuth

/// Keys found by discovery from an issuer URL: OpenID Connect Discovery
/// (`/.well-known/openid-configuration`), falling back to RFC 8414
/// (`/.well-known/oauth-authorization-server`), then the document's `jwks_uri`.
///
/// The document's `issuer` must equal the configured issuer exactly (OpenID Connect Discovery §4.3,
/// RFC 8414 §3.3), or the keys are refused: a look-alike document cannot redirect key retrieval.
public actor DiscoveryKeySource: KeySource {
    public nonisolated let issuer: String
    public nonisolated let options: HTTPOptions
    public nonisolated let cachePolicy: KeyCachePolicy
    public nonisolated let keyPolicy: KeyPolicy
    private let clock: @Sendable () -> Double
    private var resolved: RemoteKeySource? {
        didSet { readySource.withLock { $0 = resolved } }
    }
    /// ``resolved``, for ``readyKeys()``, which reads it without the actor.
    private let readySource = Locked<RemoteKeySource?>(nil)
    private var inFlight: SharedRetrieval<RemoteKeySource>?
    private var discoveryGeneration = 0
    private var attempts = RetrievalAttempts()
    /// Discovery's own events (its failures), until a JWKS URI is found; then the resolved source's.
    private var history: KeySourceEvents

    /// - Throws: `invalid_configuration` for options or a cache policy their `validate()` refuses.
    public init(issuer: String, options: HTTPOptions = HTTPOptions(), cachePolicy: KeyCachePolicy = .default,
                keyPolicy: KeyPolicy = .default, clock: @escaping @Sendable () -> Double = SystemClock.now,
                observability: Observability = Observability()) throws(LayabAuthError)
    {
        try options.validate()
        try cachePolicy.validate()
        self.issuer = issuer
        self.options = options
        self.cachePolicy = cachePolicy
        self.keyPolicy = keyPolicy
        self.clock = clock
        self.history = KeySourceEvents(location: issuer, observability: observability)
    }

    /// The discovered JWKS URI, once discovery succeeded.
    public var jwksURI: String? { resolved?.location.description }

    public func currentKeys() async throws(LayabAuthError) -> KeySet {
        try await source().currentKeys()
    }

    /// The discovered source's fresh keys, read without either actor; nil before discovery.
    public nonisolated func readyKeys() -> KeySet? {
        readySource.withLock { $0 }?.readyKeys()
    }

    public func refresh(forUnknownKid kid: String) async throws(LayabAuthError) -> KeySet? {
        guard let resolved else { return nil }
        return try await resolved.refresh(forUnknownKid: kid)
    }

    public func forceRefresh() async throws(LayabAuthError) -> KeySet {
        try await source().forceRefresh()
    }

    public func status() async -> KeySourceStatus {
        if let resolved { return await resolved.status() }
        return KeySourceStatus(location: "(not discovered yet)", discoveredFrom: issuer, fetchCount: attempts.count, lastError: attempts.lastError,
                               retryNotBefore: attempts.nextAttempt)
    }

    /// Discovery's events, then those of the source it found, numbered on from discovery's (the last 200).
    public func events() async -> [KeySourceEvent] {
        guard let resolved else { return history.events }
        let offset = history.lastSequenceNumber
        return Array((history.events + (await resolved.events()).map { $0.renumbered(after: offset) }).suffix(KeySourceEvents.historyLimit))
    }

    public func recordGauges() async {
        await resolved?.recordGauges()
    }

    private func source() async throws(LayabAuthError) -> RemoteKeySource {
        if let resolved { return resolved }
        let waiter: SharedRetrieval<RemoteKeySource>.Waiter
        if let joined = inFlight?.join() {
            waiter = joined
        } else {
            if let refusal = attempts.refusal(now: clock()) { throw refusal }
            discoveryGeneration += 1
            let generation = discoveryGeneration
            waiter = SharedRetrieval.started { [issuer, options, cachePolicy, keyPolicy, clock, observability = history.observability] in
                let result = await Self.discover(issuer: issuer, options: options).flatMap { uri in
                    Result { () throws(LayabAuthError) in
                        try RemoteKeySource(uri, options: options, cachePolicy: cachePolicy, keyPolicy: keyPolicy, discoveredFrom: issuer, clock: clock,
                                            observability: observability)
                    }
                }
                return await self.apply(result, generation: generation, abandoned: Task.isCancelled)
            }
            inFlight = waiter.retrieval
        }
        guard let outcome = await waiter.outcome() else {
            throw LayabAuthError(.jwksUnavailable, "cancelled while waiting for discovery from \(issuer)")
        }
        return try outcome.get()
    }

    private func apply(_ result: Result<RemoteKeySource, LayabAuthError>, generation: Int, abandoned: Bool) -> Result<RemoteKeySource, LayabAuthError> {
        if generation == discoveryGeneration { inFlight = nil }
        // Every waiter left and the transfer was cancelled: that says nothing about the issuer.
        if abandoned, case .failure = result { return result }
        switch result {
        case let .success(source):
            resolved = source
            attempts.succeeded()
            return result
        case let .failure(error):
            history.record(.retrievalFailed, .warning, "discovery failed", ["error": error.message, "result": "discovery"], now: clock())
            return .failure(attempts.failed(error, now: clock(), policy: cachePolicy))
        }
    }

    /// The discovery document URLs for an issuer, in the order they are tried.
    static func discoveryURLs(for issuer: String) -> [String] {
        let trimmed = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        var urls = [trimmed + "/.well-known/openid-configuration"]
        // RFC 8414 §3.1: the well-known segment goes between the host and the issuer's path.
        if let components = URLComponents(string: trimmed), let scheme = components.scheme, let host = components.host {
            let port = components.port.map { ":\($0)" } ?? ""
            urls.append("\(scheme)://\(host)\(port)/.well-known/oauth-authorization-server\(components.path)")
        }
        return urls
    }

    static func discover(issuer: String, options: HTTPOptions) async -> Result<RemoteKeySource.Location, LayabAuthError> {
        await DiscoveryDocument.fetch(issuer: issuer, options: options).flatMap { $0.endpoint("jwks_uri") }.map { .http($0) }
    }
}
