import LayabAuth

/// Verifies opaque access tokens by asking the authorization server (RFC 7662 token introspection).
///
/// The token is POSTed with `token_type_hint=access_token` to the endpoint (configured, or discovered from
/// the issuer), the resource server authenticating as a client (``ClientAuthentication``). An active answer's
/// members become the token's claims, and this verifier's claim rules still run on them locally (exp, nbf,
/// iat, iss, aud, required claims), then the route's scopes. Answers are cached (``IntrospectionCache``).
///
/// - `"active": false` is `inactive_token` (401 `invalid_token`).
/// - An answer without `iss` from an endpoint found by discovery is the discovered issuer's: it gets that `iss`.
/// - No usable answer (endpoint down, slow, 5xx, not JSON, too large) is `introspection_unavailable`
///   (503 with `Retry-After`, like `jwks_unavailable`).
///
/// ```swift
/// let verifier = try IntrospectionVerifier(endpoint: .discovery(issuer: "https://idp.example"), clientID: "api",
///                                          authentication: .basic(secret: secret),
///                                          configuration: .init(audiences: ["api"]))
/// let token = try await verifier.verify(opaqueToken, requiring: .all("read"))
/// ```
public struct IntrospectionVerifier: Sendable {
    public var configuration: VerifierConfiguration
    public let clientID: String
    public let authentication: ClientAuthentication
    /// The limits of every request to the endpoint, the same as key retrieval's.
    public let options: HTTPOptions
    public let cache: IntrospectionCache
    /// RFC 9701 signed answers; nil accepts only plain JSON answers.
    public let signedResponses: SignedIntrospectionResponses?
    /// Seconds a client is told to wait (`Retry-After`) when the endpoint gave no usable answer.
    public var retryAfterFailure: Double = 10
    private let resolver: IntrospectionEndpointResolver
    /// The verification counters, timers and spans (`verifier="introspection"`).
    public let metrics: VerificationMetrics
    private let introspectionMetrics: IntrospectionMetrics

    public var endpoint: IntrospectionEndpoint { resolver.endpoint }

    /// - Parameters:
    ///   - endpoint: where to introspect: a URL, or discovery from an issuer (whose `iss` then becomes the
    ///     accepted issuer, unless the configuration names some).
    ///   - cache: nil makes one of the default size and lifetimes.
    ///   - observability: where verifications and round trips are counted, timed and traced, and failed
    ///     round trips logged (``Observability``).
    /// - Throws: `invalid_configuration` for an endpoint that is not http(s), an empty client identifier, or
    ///   a configuration or options their `validate()` refuses.
    public init(endpoint: IntrospectionEndpoint, clientID: String, authentication: ClientAuthentication,
                configuration: VerifierConfiguration = VerifierConfiguration(), options: HTTPOptions = HTTPOptions(),
                cache: IntrospectionCache? = nil, signedResponses: SignedIntrospectionResponses? = nil,
                observability: Observability = Observability()) throws(LayabAuthError)
    {
        try endpoint.validate()
        guard !clientID.isEmpty else { throw .invalidConfiguration("clientID", "\"\"", "the introspecting client needs an identifier") }
        var configuration = configuration
        if case let .discovery(issuer) = endpoint, configuration.issuers.isEmpty { configuration.issuers = [issuer] }
        try configuration.validate()
        try options.validate()
        self.configuration = configuration
        self.clientID = clientID
        self.authentication = authentication
        self.options = options
        if let cache { self.cache = cache } else { self.cache = try IntrospectionCache() }
        self.signedResponses = signedResponses
        resolver = IntrospectionEndpointResolver(endpoint)
        metrics = VerificationMetrics(verifier: "introspection", observability: observability)
        introspectionMetrics = IntrospectionMetrics(observability.metrics)
    }

    public func verify(_ token: String, requiring scopes: ScopeRequirement? = nil) async throws(LayabAuthError) -> VerifiedToken {
        let span = VerificationSpan(metrics)
        var cache = VerificationMetrics.CacheUse.off
        do throws(LayabAuthError) {
            try configuration.validate()
            try checkSize(token)
            let url = try await endpointURL()
            let (answer, cached) = try await cachedAnswer(token, url: url)
            cache = cached ? .hit : .miss
            guard case let .active(claims) = answer else { throw IntrospectionAnswer.inactiveError(endpoint: url) }
            let verified = try Verifier(keys: .empty, validated: configuration).verify(introspected: claims, raw: token, endpoint: url, requiring: scopes)
            span.end(.success(verified), header: nil, cache: cache)
            return verified
        } catch {
            span.end(.failure(error), header: nil, cache: cache)
            throw error
        }
    }

    /// Every check of `token`: the endpoint's answer, then each claim rule and the scopes.
    public func report(_ token: String, requiring scopes: ScopeRequirement? = nil,
                       authentication: AuthenticationRequirement? = nil) async -> IntrospectionReport
    {
        if let error = configuration.invalidity { return IntrospectionReport(endpoint: resolver.known, claims: nil, answerError: error) }
        do {
            try checkSize(token)
            let url = try await endpointURL()
            let (answer, cached) = try await cachedAnswer(token, url: url)
            guard case let .active(claims) = answer else {
                return IntrospectionReport(endpoint: url, claims: nil, answerError: IntrospectionAnswer.inactiveError(endpoint: url), fromCache: cached)
            }
            return Verifier(keys: .empty, validated: configuration).report(introspected: claims, raw: token, endpoint: url, requiring: scopes,
                                                                            authentication: authentication, fromCache: cached)
        } catch {
            return IntrospectionReport(endpoint: resolver.known, claims: nil, answerError: error)
        }
    }

    private func checkSize(_ token: String) throws(LayabAuthError) {
        guard token.utf8.count <= configuration.maximumTokenSize else {
            throw LayabAuthError(.tokenTooLarge, "the token is \(token.utf8.count) bytes, more than the \(configuration.maximumTokenSize)-byte limit")
        }
        guard !token.isEmpty else { throw LayabAuthError(.malformed, "the token is empty") }
    }

    /// The endpoint's URL: the configured or already discovered one without a call into the resolver's
    /// discovery, else discovered now.
    @inline(__always)
    private func endpointURL() async throws(LayabAuthError) -> String {
        if let known = resolver.known { return known }
        return try await resolver.url(options: options)
    }

    /// The answer for `token`, from the cache when it holds one. A hit is a synchronous lookup under the cache's
    /// lock; the request (and the closure carrying it) is built only on a miss, with the key computed once.
    /// Inlined so that a hit adds no async frame to the verification's.
    @inline(__always)
    private func cachedAnswer(_ token: String, url: String) async throws(LayabAuthError) -> (IntrospectionAnswer, cached: Bool) {
        let found: (IntrospectionAnswer, cached: Bool)
        if let key = IntrospectionCache.key(token) {
            if let answer = cache.cachedAnswer(for: key, now: configuration.clock()) {
                found = (answer, true)
            } else {
                found = try await cache.answer(for: key, now: configuration.clock, fetch: request(token, url: url))
            }
        } else {
            // No digest: the cache fetches without remembering.
            found = try await cache.answer(for: token, now: configuration.clock, fetch: request(token, url: url))
        }
        introspectionMetrics.recordLookup(cached: found.cached)
        return found
    }

    /// The round trip for `token` as the cache's fetch: timed, counted, and logged when it fails.
    private func request(_ token: String, url: String) -> @Sendable () async -> Result<IntrospectionAnswer, LayabAuthError> {
        let request = self
        return {
            let start = ContinuousClock.now
            let outcome: Result<IntrospectionAnswer, LayabAuthError>
            do throws(LayabAuthError) { outcome = .success(try await request.introspect(token, url: url)) } catch { outcome = .failure(error) }
            request.introspectionMetrics.recordRoundTrip(.now - start, outcome)
            if case let .failure(error) = outcome {
                request.metrics.observability.logger.warning("introspection failed: \(error.code.rawValue): \(error.message)",
                                                             metadata: ["introspection.endpoint": .string(Observability.withoutQuery(url))])
            }
            return outcome
        }
    }

    /// One request to the endpoint, never cached.
    func introspect(_ token: String, url: String) async throws(LayabAuthError) -> IntrospectionAnswer {
        do throws(LayabAuthError) {
            let credentials = try authentication.credentials(clientID: clientID, endpoint: url, now: configuration.clock())
            var headers = credentials.headers
            headers.append(signedResponses?.request == true ? "Accept: \(SignedIntrospectionResponses.mediaType)" : "Accept: application/json")
            let response: HTTPResponse
            do {
                response = try await HTTPClient.post(url, form: credentials.form + [("token", token), ("token_type_hint", "access_token")],
                                                     headers: headers, options: options)
            } catch {
                throw LayabAuthError(.introspectionUnavailable, error.message)
            }
            var discoveredFrom: String?
            if case let .discovery(issuer) = endpoint { discoveredFrom = issuer }
            return try await IntrospectionResponse.read(response, endpoint: url, clientID: clientID, signed: signedResponses, configuration: configuration,
                                                        issuer: discoveredFrom)
        } catch {
            throw error.code == .introspectionUnavailable ? error.retrying(after: retryAfterFailure) : error
        }
    }
}

extension IntrospectionVerifier: TokenVerifying {
    public var maximumTokenSize: Int { configuration.maximumTokenSize }
    public func verificationMetrics(for token: String) -> VerificationMetrics { metrics }
}
