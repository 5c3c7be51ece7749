import ArgumentParser
import LayabAuth
import LayabAuthJWKS
import LayabConsole

/// Opaque tokens checked by the authorization server's introspection endpoint (RFC 7662), the resource server
/// authenticating with the client options (--client-id and --client-secret-file or --client-key).
struct IntrospectionOptions: ParsableArguments {
    @Option(name: .customLong("introspection-url"), help: ArgumentHelp("The introspection endpoint (RFC 7662): tokens that are not JWTs are checked there, with the client options.", valueName: "url"))
    var introspectionURL: String?

    @Flag(help: "Introspect tokens that are not JWTs at the introspection_endpoint discovered from --issuer.")
    var introspect = false

    @Flag(name: .customLong("introspect-jwts"), help: "Introspect JWTs too, instead of verifying them with keys.")
    var introspectJWTs = false

    var isGiven: Bool { introspectionURL != nil || introspect || introspectJWTs }

    /// The verifier these options describe; nil when no introspection was asked for.
    func verifier(client: ClientOptions, issuer: String?, caBundle: String?, configuration: VerifierConfiguration) throws -> IntrospectionVerifier? {
        guard isGiven else { return nil }
        let endpoint: IntrospectionEndpoint
        switch (introspectionURL, issuer) {
        case let (url?, _):
            if introspect { throw InputError("give --introspection-url or --introspect (discovery from --issuer), not both") }
            endpoint = .url(url)
        case let (nil, issuer?) where introspect:
            endpoint = .discovery(issuer: try DiscoverableIssuer.validated(issuer))
        default:
            throw InputError("introspection needs --introspection-url, or --introspect with --issuer")
        }
        guard let clientID = client.clientID else { throw InputError("introspection needs --client-id (and --client-secret-file or --client-key)") }
        do {
            return try IntrospectionVerifier(endpoint: endpoint, clientID: clientID, authentication: client.authentication(publicClientAllowed: false),
                                             configuration: configuration, options: KeyOptions.httpOptions(caBundle: caBundle))
        } catch let error as LayabAuthError {
            throw InputError(error.message)
        }
    }

    /// Whether `token` goes to the endpoint: a token that is not a JWT, a JWT with --introspect-jwts, any token
    /// when no keys were given.
    func introspects(_ token: String, hasKeys: Bool) -> Bool {
        introspectJWTs || !hasKeys || !HybridVerifier.isJWSShaped(token)
    }
}
