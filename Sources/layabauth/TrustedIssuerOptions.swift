import ArgumentParser
import LayabAuth
import LayabAuthJWKS
import LayabConsole

/// Several trusted issuers: the token's `iss` picks whose keys verify it (``MultiIssuerVerifier``).
struct TrustedIssuerOptions: ParsableArguments {
    @Option(name: .customLong("trust-issuer"),
            help: ArgumentHelp("A trusted issuer (repeatable), its keys found by discovery; --issuer is trusted too. The token's iss picks one.", valueName: "url"))
    var trustIssuer: [String] = []

    @Option(name: .customLong("trust-issuer-template"),
            help: ArgumentHelp("A multi-tenant issuer, e.g. https://login.microsoftonline.com/{tenantid}/v2.0, its keys from --jwks; the tenant must equal tid.",
                               valueName: "template"))
    var trustIssuerTemplate: String?

    @Option(help: ArgumentHelp("A tenant accepted by --trust-issuer-template (repeatable). Default: every tenant.", valueName: "id"))
    var tenant: [String] = []

    var isEnabled: Bool { !trustIssuer.isEmpty || trustIssuerTemplate != nil }

    /// The verifier over every trusted issuer, or nil when none of these options was given (one issuer's keys
    /// then come from ``KeyOptions`` alone).
    /// - Parameter configuration: what every issuer's tokens must satisfy; each issuer's `iss` replaces its issuers.
    func verifier(keys: KeyOptions, configuration: VerifierConfiguration) throws -> MultiIssuerVerifier? {
        guard isEnabled else {
            if !tenant.isEmpty { throw InputError("--tenant needs --trust-issuer-template") }
            return nil
        }
        if keys.hasStaticKeys { throw InputError("give either --trust-issuer/--trust-issuer-template or --key/--secret-file, not both") }
        let options = try KeyOptions.httpOptions(caBundle: keys.caBundle)
        do {
            var trusted: [TrustedIssuer] = []
            // --jwks serves the template's tenants when there is one, else the issuer of --issuer.
            let issuerJWKS = trustIssuerTemplate == nil ? keys.jwks : nil
            if keys.jwks != nil, trustIssuerTemplate == nil, keys.issuer == nil {
                throw InputError("--jwks with --trust-issuer needs --issuer (whose keys they are) or --trust-issuer-template")
            }
            if let issuer = keys.issuer {
                trusted.append(try .issuer(issuerJWKS == nil ? DiscoverableIssuer.validated(issuer) : issuer, jwksURI: issuerJWKS,
                                           configuration: configuration, options: options))
            }
            for issuer in trustIssuer {
                trusted.append(try .issuer(DiscoverableIssuer.validated(issuer), configuration: configuration, options: options))
            }
            if let trustIssuerTemplate {
                guard let jwks = keys.jwks else {
                    throw InputError("--trust-issuer-template needs --jwks: the key set all its tenants share")
                }
                trusted.append(try .template(trustIssuerTemplate, jwksURI: jwks, tenants: tenant.isEmpty ? nil : tenant,
                                             configuration: configuration, options: options))
            } else if !tenant.isEmpty {
                throw InputError("--tenant needs --trust-issuer-template")
            }
            return try MultiIssuerVerifier(trusted)
        } catch let error as LayabAuthError {
            throw InputError(error.message)
        }
    }
}

/// What `verify` asks of a verifier: one issuer's (``JWKSVerifier``) or several (``MultiIssuerVerifier``).
protocol ReportingVerifier: TokenVerifying {
    func report(_ token: String, requiring scopes: ScopeRequirement?, authentication: AuthenticationRequirement?) async -> VerificationReport
}

extension JWKSVerifier: ReportingVerifier {}
extension MultiIssuerVerifier: ReportingVerifier {}
