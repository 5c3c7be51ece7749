import LayabAuth

/// A `Verifier` fed by a ``KeySource``: what server integrations and the inspector use.
///
/// When a token names a `kid` the current keys lack, the source is asked to refresh (rate-limited by the
/// source) and the token is verified once more with the new keys.
///
/// With a ``VerifiedTokenCache`` (off by default here; the server integrations turn one on), a token
/// verified before is answered from the cache, which re-checks its time-based claims and the required
/// scopes, is emptied whenever the key source hands out a new key set, and answers only this configuration.
public struct JWKSVerifier: Sendable {
    public let source: any KeySource
    public var configuration: VerifierConfiguration {
        // Cached results hold for the configuration they were verified under: a changed one is another.
        didSet { configurationIdentity = VerifiedTokenCache.ConfigurationIdentity() }
    }
    /// Tokens already verified; nil verifies every token in full. The cache may be shared with other
    /// verifiers: each answers only from the entries its own configuration verified.
    public var tokenCache: VerifiedTokenCache?
    /// This configuration's identity in ``tokenCache``: shared by copies of this verifier, renewed when the
    /// configuration changes.
    private var configurationIdentity = VerifiedTokenCache.ConfigurationIdentity()
    /// The verification counters, timers and spans (`verifier="jwks"`), made from the observability given.
    public let metrics: VerificationMetrics

    /// - Parameters:
    ///   - tokenCache: remembers verified tokens (see ``VerifiedTokenCache``); nil, the default, verifies
    ///     every token in full.
    ///   - observability: where verifications are counted, timed and traced (``Observability``).
    /// - Throws: `invalid_configuration` for a configuration `VerifierConfiguration.validate()` refuses.
    public init(source: any KeySource, configuration: VerifierConfiguration = VerifierConfiguration(), tokenCache: VerifiedTokenCache? = nil,
                observability: Observability = Observability()) throws(LayabAuthError)
    {
        try self.init(source: source, configuration: configuration, tokenCache: tokenCache,
                      metrics: VerificationMetrics(verifier: "jwks", observability: observability))
    }

    /// A verifier whose metrics are shared with others (the issuers of a `MultiIssuerVerifier`).
    package init(source: any KeySource, configuration: VerifierConfiguration, tokenCache: VerifiedTokenCache?, metrics: VerificationMetrics)
        throws(LayabAuthError)
    {
        try configuration.validate()
        self.source = source
        self.configuration = configuration
        self.tokenCache = tokenCache
        self.metrics = metrics
    }

    /// Keys from a JWKS URI (`https://`, `http://`, `file://` or a path).
    public init(jwksURI: String, configuration: VerifierConfiguration = VerifierConfiguration(), options: HTTPOptions = HTTPOptions(),
                cachePolicy: KeyCachePolicy = .default, tokenCache: VerifiedTokenCache? = nil,
                observability: Observability = Observability()) throws(LayabAuthError)
    {
        let source = try RemoteKeySource(uri: jwksURI, options: options, cachePolicy: cachePolicy, keyPolicy: configuration.keyPolicy,
                                         observability: observability)
        try self.init(source: source, configuration: configuration, tokenCache: tokenCache, observability: observability)
    }

    /// Keys found by discovery from `issuer`; tokens must carry `iss` equal to it.
    public init(issuer: String, configuration: VerifierConfiguration = VerifierConfiguration(), options: HTTPOptions = HTTPOptions(),
                cachePolicy: KeyCachePolicy = .default, tokenCache: VerifiedTokenCache? = nil,
                observability: Observability = Observability()) throws(LayabAuthError)
    {
        var configuration = configuration
        if configuration.issuers.isEmpty { configuration.issuers = [issuer] }
        let source = try DiscoveryKeySource(issuer: issuer, options: options, cachePolicy: cachePolicy, keyPolicy: configuration.keyPolicy,
                                            observability: observability)
        try self.init(source: source, configuration: configuration, tokenCache: tokenCache, observability: observability)
    }

    public func verify(bearer authorization: String?, requiring scopes: ScopeRequirement? = nil) async throws(LayabAuthError) -> VerifiedToken {
        let token = try BearerCredential.extract(fromAuthorization: authorization, maximumSize: configuration.maximumTokenSize)
        return try await verify(token, requiring: scopes)
    }

    public func verify(_ token: String, requiring scopes: ScopeRequirement? = nil) async throws(LayabAuthError) -> VerifiedToken {
        try await verify(token, decoded: nil, requiring: scopes)
    }

    /// ``verify(_:requiring:)`` of a token the caller decoded already (with `DecodedToken.decode`), so that
    /// it is not decoded twice; `decoded` must be the decoding of `token`.
    package func verify(_ token: String, decoded: DecodedToken?, requiring scopes: ScopeRequirement?) async throws(LayabAuthError) -> VerifiedToken {
        let span = VerificationSpan(metrics)
        var cache = VerificationMetrics.CacheUse.off
        var header = decoded?.header
        do throws(LayabAuthError) {
            let verified = try await verify(token, decoded: decoded, requiring: scopes, cache: &cache, header: &header)
            span.end(.success(verified), header: verified.header, cache: cache)
            return verified
        } catch {
            span.end(.failure(error), header: header, cache: cache)
            throw error
        }
    }

    /// The verification itself; says whether the cache answered, and the token's header once decoded.
    private func verify(_ token: String, decoded: DecodedToken?, requiring scopes: ScopeRequirement?, cache: inout VerificationMetrics.CacheUse,
                        header: inout JOSEHeader?) async throws(LayabAuthError) -> VerifiedToken
    {
        // The configuration is public and may have been changed since the verifier was built.
        try configuration.validate()
        guard let tokenCache else { return try await verifyInFull(token, decoded: decoded, requiring: scopes, header: &header).token }
        let now = configuration.clock()
        // Only tokens that verified are in the cache: the key source is consulted for a candidate hit only,
        // so garbage never triggers a fetch.
        cache = .miss
        if let entry = tokenCache.entry(for: token, configuration: configurationIdentity, now: now, leeway: configuration.leeway) {
            // Fresh keys are read without the source's actor: a hit neither hops nor suspends.
            let keys = try await keysNow()
            if entry.keySet == keys.identity {
                cache = .hit
                header = entry.token.header
                if let scopes, !scopes.isSatisfied(granted: entry.token.scopes), let error = scopes.evaluate(granted: entry.token.scopes).error {
                    throw error
                }
                return entry.token
            }
            // The source has new keys: nothing verified with the old ones may answer any more.
            tokenCache.removeAll(unlessVerifiedWith: keys.identity)
        }
        // Scopes are checked after caching: a token that verified stays verified whatever a route requires.
        let (verified, keys) = try await verifyInFull(token, decoded: decoded, requiring: nil, header: &header)
        tokenCache.insert(verified, configuration: configurationIdentity, keySet: keys.identity)
        if let scopes, !scopes.isSatisfied(granted: verified.scopes), let error = scopes.evaluate(granted: verified.scopes).error { throw error }
        return verified
    }

    /// Verification without the cache; also returns the key set that verified the token. The token is decoded
    /// once: its `kid` picks the key, and the same decoded token is verified again after a refresh.
    private func verifyInFull(_ token: String, decoded given: DecodedToken?, requiring scopes: ScopeRequirement?,
                              header: inout JOSEHeader?) async throws(LayabAuthError) -> (token: VerifiedToken, keys: KeySet)
    {
        // Malformed tokens are refused before the key source is consulted, so garbage never triggers a fetch.
        // A token decoded under a larger size limit than this configuration's is decoded again, to be refused.
        let decoded: DecodedToken
        if let given, token.utf8.count <= configuration.maximumTokenSize {
            decoded = given
        } else {
            decoded = try DecodedToken.decode(token, maximumSize: configuration.maximumTokenSize)
        }
        header = decoded.header
        let keys = try await keysNow()
        do {
            return (try Verifier(keys: keys, validated: configuration).verify(decoded, requiring: scopes), keys)
        } catch where error.code == .keyNotFound {
            // A refresh that cannot reach the provider throws jwks_unavailable: the token is not at fault.
            guard let kid = decoded.header.kid, keys.keys(withKid: kid).isEmpty,
                  let refreshed = try await source.refresh(forUnknownKid: kid) else { throw error }
            return (try Verifier(keys: refreshed, validated: configuration).verify(decoded, requiring: scopes), refreshed)
        }
    }

    /// The source's current keys: its ready ones when it holds them, else through ``KeySource/currentKeys()``.
    private func keysNow() async throws(LayabAuthError) -> KeySet {
        if let keys = source.readyKeys() { return keys }
        return try await source.currentKeys()
    }

    /// Every check of `token` against the current keys (refreshing once for an unknown `kid`).
    public func report(_ token: String, requiring scopes: ScopeRequirement? = nil,
                       authentication: AuthenticationRequirement? = nil) async -> VerificationReport
    {
        if let error = configuration.invalidity { return .undecodable(error) }
        let decoded: DecodedToken
        do { decoded = try DecodedToken.decodeForDisplay(token, maximumSize: configuration.maximumTokenSize) } catch {
            return .undecodable(error)
        }
        return await reportValidated(decoded, requiring: scopes, authentication: authentication)
    }

    /// ``report(_:requiring:authentication:)`` of a token decoded before (with `DecodedToken.decodeForDisplay`).
    package func report(_ decoded: DecodedToken, requiring scopes: ScopeRequirement? = nil,
                        authentication: AuthenticationRequirement? = nil) async -> VerificationReport
    {
        if let error = configuration.invalidity { return .undecodable(error) }
        if decoded.raw.utf8.count > configuration.maximumTokenSize { return await report(decoded.raw, requiring: scopes, authentication: authentication) }
        return await reportValidated(decoded, requiring: scopes, authentication: authentication)
    }

    private func reportValidated(_ decoded: DecodedToken, requiring scopes: ScopeRequirement?,
                                 authentication: AuthenticationRequirement?) async -> VerificationReport
    {
        let keys: KeySet
        do { keys = try await source.currentKeys() } catch {
            return Verifier(keys: .empty, validated: configuration).report(decoded, requiring: scopes, authentication: authentication).withSignature(.unverified(error))
        }
        let report = Verifier(keys: keys, validated: configuration).report(decoded, requiring: scopes, authentication: authentication)
        guard let kid = report.unknownKid, keys.keys(withKid: kid).isEmpty else { return report }
        do {
            guard let refreshed = try await source.refresh(forUnknownKid: kid) else { return report }
            return Verifier(keys: refreshed, validated: configuration).report(decoded, requiring: scopes, authentication: authentication)
        } catch {
            return report.withSignature(.unverified(error))
        }
    }
}
