import ArgumentParser
import Foundation
import LayabAuth
import LayabAuthJWKS

/// The options both example apps share: where keys come from, what tokens must be, and how opaque tokens are
/// introspected. They build the one verifier an app's authenticator takes (any `TokenVerifying`).
public struct ExampleVerifierOptions: ParsableArguments {
    @Option(help: "JWKS URI: https://, http://, file:// or a path.") public var jwks: String?
    @Option(help: "Issuer URL: keys by OIDC discovery (or from --jwks), and iss must equal it.") public var issuer: String?
    @Option(name: .customLong("trust-issuer"),
            help: ArgumentHelp("Another trusted issuer, keys by its discovery (repeatable): each token is verified by the issuer its iss names.", valueName: "url"))
    public var trustIssuer: [String] = []
    @Option(help: "An accepted audience (repeatable).") public var audience: [String] = []
    @Option(help: "Seconds of clock skew allowed on exp, nbf and iat.") public var leeway: Double = 30
    @Option(name: .customLong("require-typ"), help: ArgumentHelp("A JOSE typ tokens must carry (repeatable), e.g. at+jwt.", valueName: "typ"))
    public var requireTyp: [String] = []
    @Flag(name: .customLong("access-token-profile"), help: "Require RFC 9068 access tokens: typ at+jwt and iss, exp, aud, sub, client_id, iat, jti.")
    public var accessTokenProfile = false
    @Option(help: ArgumentHelp("Introspect opaque tokens at this RFC 7662 endpoint (JWTs stay local when --jwks or --issuer is given).", valueName: "url"))
    public var introspect: String?
    @Option(name: .customLong("client-id"), help: "The client identifier this API introspects as (with --introspect).")
    public var clientID: String?
    @Option(name: .customLong("client-secret-file"), help: ArgumentHelp("The file holding that client's secret (HTTP Basic).", valueName: "file"))
    public var clientSecretFile: String?
    @Option(name: .customLong("dpop-origin"),
            help: ArgumentHelp("Accept DPoP (RFC 9449): the scheme and host clients call, which proofs' htu must name.", valueName: "url"))
    public var dpopOrigin: String?
    @Option(name: .customLong("client-certificate-header"),
            help: ArgumentHelp("Accept certificate-bound tokens (RFC 8705) with the client certificate a TLS proxy forwards in this header (URL-encoded PEM, as nginx's $ssl_client_escaped_cert).", valueName: "name"))
    public var clientCertificateHeader: String?
    @Option(name: .customLong("key-cache-lifetime"), help: "Seconds fetched keys stay fresh, whatever the JWKS server says (for tests and tuning).")
    public var keyCacheLifetime: Double?
    @Option(help: "Verified tokens remembered between requests (0 turns the cache off).")
    public var tokenCacheCapacity = VerifiedTokenCache.defaultCapacity

    public init() {}

    /// DPoP and certificate-bound tokens as `--dpop-origin` and `--client-certificate-header` ask; Bearer only
    /// without them.
    public func senderConstraints() -> SenderConstraints {
        guard dpopOrigin != nil || clientCertificateHeader != nil else { return .bearerOnly }
        return SenderConstraints(policy: SenderConstraintPolicy(acceptsDPoP: dpopOrigin != nil), origin: dpopOrigin,
                                 clientCertificate: clientCertificateHeader.map { .header(.nginx($0)) } ?? .none)
    }

    /// The verifier these options describe: one issuer's keys (`JWKSVerifier`), several issuers
    /// (`MultiIssuerVerifier`), introspection (`IntrospectionVerifier`), or JWTs locally and the rest introspected
    /// (`HybridVerifier`).
    public func makeVerifier() throws -> any TokenVerifying {
        var configuration = VerifierConfiguration(issuers: issuer.map { [$0] } ?? [], audiences: audience, leeway: leeway)
        if accessTokenProfile { configuration.requireAccessTokenProfile() }
        if !requireTyp.isEmpty { configuration.requiredTypes = requireTyp }
        let cachePolicy = keyCacheLifetime.map { KeyCachePolicy(minimumLifetime: $0, maximumLifetime: $0, retryAfterFailure: min($0, 10)) } ?? .default
        let tokenCache = tokenCacheCapacity > 0 ? VerifiedTokenCache(capacity: tokenCacheCapacity) : nil
        let jwtVerifier: (any TokenVerifying)?
        if !trustIssuer.isEmpty {
            guard let issuer else { throw ValidationError("--trust-issuer adds to --issuer: give --issuer too") }
            var trusted = [try TrustedIssuer.issuer(issuer, jwksURI: jwks, configuration: configuration, cachePolicy: cachePolicy)]
            for other in trustIssuer {
                var own = configuration
                own.issuers = [other]
                trusted.append(try TrustedIssuer.issuer(other, configuration: own, cachePolicy: cachePolicy))
            }
            jwtVerifier = try MultiIssuerVerifier(trusted, tokenCacheCapacity: tokenCache == nil ? nil : tokenCacheCapacity)
        } else if let jwks {
            jwtVerifier = try JWKSVerifier(jwksURI: jwks, configuration: configuration, cachePolicy: cachePolicy, tokenCache: tokenCache)
        } else if let issuer {
            jwtVerifier = try JWKSVerifier(issuer: issuer, configuration: configuration, cachePolicy: cachePolicy, tokenCache: tokenCache)
        } else {
            jwtVerifier = nil
        }
        guard let introspect else {
            if clientID != nil || clientSecretFile != nil { throw ValidationError("--client-id and --client-secret-file are for --introspect") }
            guard let jwtVerifier else { throw ValidationError("give --jwks, --issuer or --introspect") }
            return jwtVerifier
        }
        guard let clientID, let clientSecretFile else { throw ValidationError("--introspect needs --client-id and --client-secret-file") }
        let secret: String
        do {
            secret = try String(contentsOfFile: clientSecretFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw ValidationError("cannot read --client-secret-file \(clientSecretFile)")
        }
        var introspectionConfiguration = configuration
        // RFC 9068 is a profile of JWTs: an opaque token has no typ.
        introspectionConfiguration.requiredTypes = []
        let introspection = try IntrospectionVerifier(endpoint: .url(introspect), clientID: clientID, authentication: .basic(secret: secret),
                                                      configuration: introspectionConfiguration)
        guard let jwtVerifier else { return introspection }
        guard let single = jwtVerifier as? JWKSVerifier else {
            throw ValidationError("--introspect with --trust-issuer is not supported: give one issuer")
        }
        return HybridVerifier(jwt: single, introspection: introspection)
    }
}
