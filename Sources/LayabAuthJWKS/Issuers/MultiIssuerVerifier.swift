import LayabAuth

/// A verifier over several trusted issuers, each with its own keys and settings: the token's `iss` (read
/// before verification) selects the issuer, whose key source and configuration then verify it.
///
/// Only the configured issuers' key sources are ever contacted: a token whose `iss` no entry covers is
/// refused (`issuer_mismatch`) without any request. Each issuer's source is its own, so one issuer whose
/// discovery or JWKS endpoint hangs never delays another's tokens. A template (``TrustedIssuer/template(_:jwksURI:tenants:configuration:options:cachePolicy:observability:)``)
/// shares one source among all its tenants and binds the tenant of `iss` to the token's `tid`.
///
/// ```swift
/// let verifier = try MultiIssuerVerifier([
///     .issuer("https://tenant-a.eu.auth0.com/", configuration: VerifierConfiguration(audiences: ["https://api.example"])),
///     .template("https://login.microsoftonline.com/{tenantid}/v2.0",
///               jwksURI: "https://login.microsoftonline.com/common/discovery/v2.0/keys",
///               configuration: VerifierConfiguration(audiences: ["api://my-api"])),
/// ])
/// ```
public struct MultiIssuerVerifier: Sendable {
    /// The trusted issuers, in the order templates are tried (exact issuers always come first).
    public let issuers: [TrustedIssuer]
    /// The most tenants of one template whose verifiers are kept (see ``defaultTenantCapacity``).
    public let tenantCapacity: Int
    /// The most tokens each issuer's verified-token cache holds; nil, the default, verifies every token in
    /// full. Each issuer (each template, for all its tenants) has a cache of its own: a ``VerifiedTokenCache``
    /// follows the key set of one source, and empties itself when another set is handed to it.
    public var tokenCacheCapacity: Int? {
        didSet { verifiers = Self.verifiers(issuers, tokenCacheCapacity: tokenCacheCapacity, tenantCapacity: tenantCapacity, metrics: metrics) }
    }
    /// The verification metrics of every issuer's verifier (`verifier="jwks"`).
    public let metrics: VerificationMetrics

    /// Tenants kept per template by default.
    public static let defaultTenantCapacity = 1024

    private enum IssuerVerifier: Sendable {
        case exact(JWKSVerifier)
        case template(TenantVerifiers, tokenCache: VerifiedTokenCache?)
    }

    private var verifiers: [IssuerVerifier]
    /// The exact issuers by their bytes and the templates' positions: a selection is one lookup however many issuers are trusted.
    private let selectionIndex: IssuerSelection.Index

    /// - Parameters:
    ///   - tokenCacheCapacity: the most tokens each issuer's cache holds (see ``tokenCacheCapacity``); nil
    ///     verifies every token in full.
    ///   - tenantCapacity: the most tenants of one template kept at once.
    ///   - observability: where verifications are counted, timed and traced (``Observability``).
    /// - Throws: `invalid_configuration` for no issuer, two entries for one issuer or template, or an
    ///   issuer's configuration whose `validate()` fails.
    public init(_ issuers: [TrustedIssuer], tokenCacheCapacity: Int? = nil, tenantCapacity: Int = defaultTenantCapacity,
                observability: Observability = Observability()) throws(LayabAuthError)
    {
        guard !issuers.isEmpty else { throw LayabAuthError(.invalidConfiguration, "no trusted issuer: no token could ever be accepted") }
        for (index, issuer) in issuers.enumerated() {
            try issuer.configuration.validate()
            if issuers[..<index].contains(where: { $0.name.hasSameBytes(as: issuer.name) }) {
                throw LayabAuthError(.invalidConfiguration, "the issuer \"\(LayabAuthError.shown(issuer.name))\" is trusted twice")
            }
        }
        guard tenantCapacity > 0 else { throw .invalidConfiguration("tenantCapacity", tenantCapacity, "at least one tenant must be kept") }
        if let tokenCacheCapacity, tokenCacheCapacity < 1 {
            throw .invalidConfiguration("tokenCacheCapacity", tokenCacheCapacity, "a cache holds at least one token")
        }
        self.issuers = issuers
        selectionIndex = IssuerSelection.Index(issuers)
        maximumTokenSize = issuers.map(\.configuration.maximumTokenSize).max() ?? DecodedToken.defaultMaximumSize
        self.tenantCapacity = tenantCapacity
        self.tokenCacheCapacity = tokenCacheCapacity
        metrics = VerificationMetrics(verifier: "jwks", observability: observability)
        verifiers = Self.verifiers(issuers, tokenCacheCapacity: tokenCacheCapacity, tenantCapacity: tenantCapacity, metrics: metrics)
    }

    private static func verifiers(_ issuers: [TrustedIssuer], tokenCacheCapacity: Int?, tenantCapacity: Int,
                                  metrics: VerificationMetrics) -> [IssuerVerifier]
    {
        issuers.map { trusted in
            // A capacity under 1 (set after init) verifies in full rather than trapping in the cache.
            let tokenCache = tokenCacheCapacity.flatMap { $0 > 0 ? VerifiedTokenCache(capacity: $0) : nil }
            switch trusted.match {
            case let .exact(issuer):
                var configuration = trusted.configuration
                configuration.issuers = [issuer]
                // Cannot fail: init validated the configuration. Were it to, the entry would build its
                // verifier on each use (as a template's tenants do), which throws the error for each token.
                guard let verifier = try? JWKSVerifier(source: trusted.source, configuration: configuration, tokenCache: tokenCache,
                                                         metrics: metrics) else {
                    return .template(TenantVerifiers(capacity: 1), tokenCache: nil)
                }
                return .exact(verifier)
            case .template: return .template(TenantVerifiers(capacity: tenantCapacity), tokenCache: tokenCache)
            }
        }
    }

    /// The tenant verifiers each template keeps now (0 for an exact issuer): at most ``tenantCapacity``.
    package var keptTenantCounts: [Int] {
        verifiers.map { if case let .template(tenants, _) = $0 { tenants.count } else { 0 } }
    }

    /// The verified-token cache of each issuer, in the order of ``issuers`` (empty without caching).
    public var tokenCaches: [VerifiedTokenCache] {
        verifiers.compactMap {
            switch $0 {
            case let .exact(verifier): verifier.tokenCache
            case let .template(_, tokenCache): tokenCache
            }
        }
    }

    /// The key sources, one per trusted issuer or template: all this verifier ever contacts.
    public var keySources: [any KeySource] { issuers.map(\.source) }

    /// The largest token any issuer accepts; each issuer's own limit applies once it is selected.
    /// (Worked out once: every token's selection reads it, and the issuers never change.)
    public let maximumTokenSize: Int

    /// Which issuer `token` selects, or why none: for tools that show it.
    public func selection(for token: String) -> IssuerSelection {
        do { return selection(try DecodedToken.decodeForDisplay(token, maximumSize: maximumTokenSize)) } catch { return .refused(error) }
    }

    private func selection(_ decoded: DecodedToken) -> IssuerSelection {
        guard let claims = decoded.claims else {
            return .refused(decoded.payloadError ?? LayabAuthError(.malformed, "the payload is not a JSON object of claims"))
        }
        return IssuerSelection.choose(claims, among: issuers, index: selectionIndex)
    }

    /// The verifier of the issuer `selection` chose, its configuration's `issuers` set to the token's issuer.
    private func verifier(index: Int, issuer: String, tenant: String?) throws(LayabAuthError) -> JWKSVerifier {
        switch verifiers[index] {
        case let .exact(verifier): return verifier
        case let .template(tenants, tokenCache):
            let trusted = issuers[index]
            return try tenants.verifier(forTenant: tenant ?? issuer) { () throws(LayabAuthError) in
                var configuration = trusted.configuration
                configuration.issuers = [issuer]
                return try JWKSVerifier(source: trusted.source, configuration: configuration, tokenCache: tokenCache, metrics: metrics)
            }
        }
    }

    public func verify(bearer authorization: String?, requiring scopes: ScopeRequirement? = nil) async throws(LayabAuthError) -> VerifiedToken {
        let token = try BearerCredential.extract(fromAuthorization: authorization, maximumSize: maximumTokenSize)
        return try await verify(token, requiring: scopes)
    }

    /// Selects the issuer by the token's `iss`, then verifies it with that issuer's keys and configuration.
    /// - Throws: the token's decoding error; `issuer_mismatch` for an `iss` no entry covers, or a `tid` that
    ///   does not bind the tenant of a template; `missing_claim` / `invalid_claim` for no string `iss` (or
    ///   `tid`, for a template); else whatever the selected issuer's verification throws.
    public func verify(_ token: String, requiring scopes: ScopeRequirement? = nil) async throws(LayabAuthError) -> VerifiedToken {
        // Decoded once: garbage and untrusted issuers are refused before any key source is consulted.
        let decoded = try DecodedToken.decode(token, maximumSize: maximumTokenSize)
        switch selection(decoded) {
        case let .refused(error): throw error
        case let .selected(index, issuer, tenant):
            return try await verifier(index: index, issuer: issuer, tenant: tenant).verify(token, decoded: decoded, requiring: scopes)
        }
    }

    /// Every check of `token` by the issuer it selects, with a hint naming that issuer; a token that selects
    /// none is reported with the reason as its signature's outcome (unverified: no key source was asked).
    public func report(_ token: String, requiring scopes: ScopeRequirement? = nil,
                       authentication: AuthenticationRequirement? = nil) async -> VerificationReport
    {
        let decoded: DecodedToken
        do { decoded = try DecodedToken.decodeForDisplay(token, maximumSize: maximumTokenSize) } catch { return .undecodable(error) }
        let selection = selection(decoded)
        switch selection {
        case let .selected(index, issuer, tenant):
            let selected: JWKSVerifier
            do { selected = try verifier(index: index, issuer: issuer, tenant: tenant) } catch { return .undecodable(error) }
            return await selected.report(decoded, requiring: scopes, authentication: authentication).addingHint(selection.hint)
        case let .refused(error):
            // The claims are still checked (exp, aud...) with the first issuer's settings, its issuer check aside.
            var configuration = issuers[0].configuration
            configuration.issuers = []
            return Verifier(keys: .empty, validated: configuration).report(decoded, requiring: scopes, authentication: authentication)
                .withSignature(.unverified(error))
                .addingHint(selection.hint)
        }
    }
}

extension MultiIssuerVerifier: TokenVerifying {
    public func verificationMetrics(for token: String) -> VerificationMetrics { metrics }
}
