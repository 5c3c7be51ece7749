import LayabAuth

/// One issuer a ``MultiIssuerVerifier`` trusts: which `iss` values it covers, where its keys come from, and
/// what its tokens must satisfy.
public struct TrustedIssuer: Sendable {
    /// The `iss` values this entry covers.
    public enum Match: Sendable {
        /// One issuer, compared byte for byte (a trailing slash matters).
        case exact(String)
        /// A multi-tenant provider: the tenant segment of `iss` must equal the token's `tid` and, when
        /// `tenants` is given, be one of them.
        case template(IssuerTemplate, tenants: [String]?)
    }

    public let match: Match
    /// The keys: one source for the issuer, or for all tenants of a template.
    public let source: any KeySource
    /// What tokens of this issuer must satisfy. Its `issuers` is set by the verifier to the token's issuer.
    public let configuration: VerifierConfiguration

    /// An issuer whose keys are found by discovery from it (OpenID Connect Discovery, then RFC 8414), or
    /// read from `jwksURI` when given.
    /// - Parameter observability: where the key source logs, counts and traces its retrievals.
    /// - Throws: `invalid_configuration` for options, a cache policy or a configuration their `validate()` refuses.
    public static func issuer(_ issuer: String, jwksURI: String? = nil, configuration: VerifierConfiguration = VerifierConfiguration(),
                              options: HTTPOptions = HTTPOptions(), cachePolicy: KeyCachePolicy = .default,
                              observability: Observability = Observability()) throws(LayabAuthError) -> TrustedIssuer
    {
        let source: any KeySource = if let jwksURI {
            try RemoteKeySource(uri: jwksURI, options: options, cachePolicy: cachePolicy, keyPolicy: configuration.keyPolicy,
                                observability: observability)
        } else {
            try DiscoveryKeySource(issuer: issuer, options: options, cachePolicy: cachePolicy, keyPolicy: configuration.keyPolicy,
                                   observability: observability)
        }
        return try TrustedIssuer(match: .exact(issuer), source: source, configuration: configuration)
    }

    /// A multi-tenant provider: every tenant's issuer fits `template`, and all tenants' keys come from the one
    /// `jwksURI` (Entra's `https://login.microsoftonline.com/common/discovery/v2.0/keys`).
    /// - Parameters:
    ///   - tenants: the tenants accepted; nil accepts every tenant whose `tid` matches its issuer.
    ///   - observability: where the key source logs, counts and traces its retrievals.
    /// - Throws: `invalid_configuration` for a template ``IssuerTemplate/init(_:)`` refuses, an empty or
    ///   slash-holding tenant, or options, a cache policy or a configuration their `validate()` refuses.
    public static func template(_ template: String, jwksURI: String, tenants: [String]? = nil,
                                configuration: VerifierConfiguration = VerifierConfiguration(), options: HTTPOptions = HTTPOptions(),
                                cachePolicy: KeyCachePolicy = .default, observability: Observability = Observability()) throws(LayabAuthError) -> TrustedIssuer
    {
        let parsed = try IssuerTemplate(template)
        let source = try RemoteKeySource(uri: jwksURI, options: options, cachePolicy: cachePolicy, keyPolicy: configuration.keyPolicy,
                                         observability: observability)
        return try TrustedIssuer(match: .template(parsed, tenants: tenants), source: source, configuration: configuration)
    }

    /// An entry with a key source of the caller's (static keys, a source shared with something else).
    /// - Throws: `invalid_configuration` for a configuration `validate()` refuses, an empty issuer or a bad tenant.
    public init(match: Match, source: any KeySource, configuration: VerifierConfiguration = VerifierConfiguration()) throws(LayabAuthError) {
        try configuration.validate()
        if case let .exact(issuer) = match, issuer.isEmpty {
            throw LayabAuthError(.invalidConfiguration, "a trusted issuer is empty: it must be the exact iss of its tokens")
        }
        if case let .template(template, tenants?) = match {
            for tenant in tenants where template.tenant(in: template.issuer(forTenant: tenant)).map({ !$0.hasSameBytes(as: tenant) }) ?? true {
                throw LayabAuthError(.invalidConfiguration, "tenant \"\(LayabAuthError.shown(tenant))\" cannot fill \(template): a tenant is one non-empty path segment")
            }
        }
        self.match = match
        self.source = source
        self.configuration = configuration
    }

    /// How this entry is named in messages and reports.
    public var name: String {
        switch match {
        case let .exact(issuer): issuer
        case let .template(template, _): template.template
        }
    }
}
