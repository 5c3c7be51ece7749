import LayabAuth

/// A ``Verifier`` fed by a ``KeySource``: what server integrations and the inspector use.
///
/// When a token names a `kid` the current keys lack, the source is asked to refresh (rate-limited by the
/// source) and the token is verified once more with the new keys.
public struct JWKSVerifier: Sendable {
    public let source: any KeySource
    public var configuration: VerifierConfiguration

    public init(source: any KeySource, configuration: VerifierConfiguration = VerifierConfiguration()) {
        self.source = source
        self.configuration = configuration
    }

    /// Keys from a JWKS URI (`https://`, `http://`, `file://` or a path).
    public init(jwksURI: String, configuration: VerifierConfiguration = VerifierConfiguration(), options: HTTPOptions = HTTPOptions(),
                cachePolicy: KeyCachePolicy = .default) throws(LayabAuthError)
    {
        let source = try RemoteKeySource(uri: jwksURI, options: options, cachePolicy: cachePolicy, keyPolicy: configuration.keyPolicy)
        self.init(source: source, configuration: configuration)
    }

    /// Keys found by discovery from `issuer`; tokens must carry `iss` equal to it.
    public init(issuer: String, configuration: VerifierConfiguration = VerifierConfiguration(), options: HTTPOptions = HTTPOptions(),
                cachePolicy: KeyCachePolicy = .default)
    {
        var configuration = configuration
        if configuration.issuers.isEmpty { configuration.issuers = [issuer] }
        let source = DiscoveryKeySource(issuer: issuer, options: options, cachePolicy: cachePolicy, keyPolicy: configuration.keyPolicy)
        self.init(source: source, configuration: configuration)
    }

    public func verify(bearer authorization: String?, requiring scopes: ScopeRequirement? = nil) async throws(LayabAuthError) -> VerifiedToken {
        let token = try BearerCredential.extract(fromAuthorization: authorization, maximumSize: configuration.maximumTokenSize)
        return try await verify(token, requiring: scopes)
    }

    public func verify(_ token: String, requiring scopes: ScopeRequirement? = nil) async throws(LayabAuthError) -> VerifiedToken {
        // Malformed tokens are refused before the key source is consulted, so garbage never triggers a fetch.
        let decoded = try DecodedToken.decode(token, maximumSize: configuration.maximumTokenSize)
        let keys = try await source.currentKeys()
        do {
            return try Verifier(keys: keys, configuration: configuration).verify(token, requiring: scopes)
        } catch where error.code == .keyNotFound {
            guard let kid = decoded.header.kid, keys.keys(withKid: kid).isEmpty,
                  let refreshed = await source.refresh(forUnknownKid: kid) else { throw error }
            return try Verifier(keys: refreshed, configuration: configuration).verify(token, requiring: scopes)
        }
    }

    /// Every check of `token` against the current keys (refreshing once for an unknown `kid`).
    public func report(_ token: String, requiring scopes: ScopeRequirement? = nil) async -> VerificationReport {
        let keys: KeySet
        do { keys = try await source.currentKeys() } catch {
            return Verifier(keys: .empty, configuration: configuration).report(token, requiring: scopes).withSignature(.unverified(error))
        }
        var report = Verifier(keys: keys, configuration: configuration).report(token, requiring: scopes)
        if report.signature.error?.code == .keyNotFound, let kid = report.decoded?.header.kid, keys.keys(withKid: kid).isEmpty,
           let refreshed = await source.refresh(forUnknownKid: kid)
        {
            report = Verifier(keys: refreshed, configuration: configuration).report(token, requiring: scopes)
        }
        return report
    }
}

extension VerificationReport {
    /// This report with another signature outcome (the key source failed before verification).
    func withSignature(_ signature: Signature) -> VerificationReport {
        guard decodingError == nil else { return self }
        return VerificationReport(decoded: decoded, decodingError: decodingError, signature: signature, checks: checks, scopes: scopes)
    }
}
