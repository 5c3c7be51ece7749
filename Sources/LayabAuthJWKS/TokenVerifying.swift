import LayabAuth

/// What server integrations need from a verifier: ``JWKSVerifier`` in production, a mock in tests.
public protocol TokenVerifying: Sendable {
    func verify(_ token: String, requiring scopes: ScopeRequirement?) async throws(LayabAuthError) -> VerifiedToken
    /// The largest token accepted (an `Authorization` header beyond it is refused before parsing).
    var maximumTokenSize: Int { get }
    /// Where a server's path counts the outcome of verifying `token` (and logs its refusal, when the
    /// integration passes no request logger). A verifier that routes tokens (``HybridVerifier``) answers with
    /// the verifier the token goes to. By default, ``VerificationMetrics/unlabelled``.
    func verificationMetrics(for token: String) -> VerificationMetrics
}

extension TokenVerifying {
    public func verificationMetrics(for token: String) -> VerificationMetrics { .unlabelled }
}

extension VerificationMetrics {
    /// The metrics of verifiers that bring none (test doubles, an application's own `TokenVerifying`):
    /// `verifier="other"`, the metrics backend bootstrapped when first used, the logger "layabauth".
    public static let unlabelled = VerificationMetrics(verifier: "other", observability: Observability())
}

extension JWKSVerifier: TokenVerifying {
    public var maximumTokenSize: Int { configuration.maximumTokenSize }
    public func verificationMetrics(for token: String) -> VerificationMetrics { metrics }
}

extension TokenVerifying {
    /// This verifier with a verified-token cache: a ``JWKSVerifier`` without one gets a ``VerifiedTokenCache``
    /// of the default capacity, a ``MultiIssuerVerifier`` without caches one such cache per issuer, a
    /// ``HybridVerifier`` one for its JWTs (its ``IntrospectionVerifier`` has its answer cache); any other
    /// verifier is returned as it is. The server integrations call it, so that they cache by default.
    public func cachingVerifiedTokens() -> any TokenVerifying {
        if var verifier = self as? JWKSVerifier, verifier.tokenCache == nil {
            verifier.tokenCache = VerifiedTokenCache()
            return verifier
        }
        if var verifier = self as? MultiIssuerVerifier, verifier.tokenCacheCapacity == nil {
            verifier.tokenCacheCapacity = VerifiedTokenCache.defaultCapacity
            return verifier
        }
        if let verifier = self as? HybridVerifier, verifier.jwt.tokenCache == nil {
            var jwt = verifier.jwt
            jwt.tokenCache = VerifiedTokenCache()
            return HybridVerifier(jwt: jwt, introspection: verifier.introspection, routing: verifier.routing)
        }
        return self
    }

    /// Reads the bearer token of an `Authorization` header value and verifies it.
    public func verify(authorization: String?, requiring scopes: ScopeRequirement? = nil) async throws(LayabAuthError) -> VerifiedToken {
        let token = try BearerCredential.extract(fromAuthorization: authorization, maximumSize: maximumTokenSize)
        return try await verify(token, requiring: scopes)
    }
}
