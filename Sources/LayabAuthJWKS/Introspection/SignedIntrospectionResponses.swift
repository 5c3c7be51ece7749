import LayabAuth

/// RFC 9701: the introspection endpoint answers with a JWT (`application/token-introspection+jwt`) signed by
/// the authorization server, so that the answer is the server's even through a proxy that terminates TLS.
public struct SignedIntrospectionResponses: Sendable {
    /// The authorization server's keys (its JWKS: a ``RemoteKeySource``, a ``DiscoveryKeySource``...).
    public let keys: any KeySource
    /// The `iss` the JWT must carry (the authorization server's issuer identifier).
    public let issuer: String
    /// Whether the request asks for a signed answer (`Accept: application/token-introspection+jwt`). Even when
    /// not, a signed answer is verified rather than refused.
    public var request: Bool

    public init(keys: any KeySource, issuer: String, request: Bool = true) {
        self.keys = keys
        self.issuer = issuer
        self.request = request
    }

    public static let mediaType = "application/token-introspection+jwt"
}
