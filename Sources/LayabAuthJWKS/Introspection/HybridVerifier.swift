import LayabAuth

/// One verifier for a resource server that meets both kinds of access tokens: JWS-shaped tokens (three
/// base64url segments whose first decodes to a JSON object) are verified locally by a ``JWKSVerifier``,
/// any other token (an opaque handle) by an ``IntrospectionVerifier``. With ``HybridVerifier/Routing/introspectEverything``
/// every token is introspected, JWTs included (when revocation must be seen at once).
public struct HybridVerifier: Sendable {
    public enum Routing: Sendable, Hashable {
        /// JWTs locally with keys, opaque tokens by introspection.
        case byShape
        /// Every token by introspection.
        case introspectEverything
    }

    public let jwt: JWKSVerifier
    public let introspection: IntrospectionVerifier
    public var routing: Routing

    public init(jwt: JWKSVerifier, introspection: IntrospectionVerifier, routing: Routing = .byShape) {
        self.jwt = jwt
        self.introspection = introspection
        self.routing = routing
    }

    /// Whether `token` goes to the introspection endpoint.
    public func introspects(_ token: String) -> Bool {
        routing == .introspectEverything || !Self.isJWSShaped(token)
    }

    public func verify(_ token: String, requiring scopes: ScopeRequirement? = nil) async throws(LayabAuthError) -> VerifiedToken {
        introspects(token) ? try await introspection.verify(token, requiring: scopes) : try await jwt.verify(token, requiring: scopes)
    }

    /// Three base64url segments whose first decodes to a JSON object: what a compact JWS looks like. Anything
    /// else, a JWE's five segments included, is treated as opaque.
    public static func isJWSShaped(_ token: String) -> Bool {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3, !segments[0].isEmpty,
              let header = try? Base64URL.decode(String(segments[0])),
              case .object? = try? JSONParser.parse(header) else { return false }
        return true
    }
}

extension HybridVerifier: TokenVerifying {
    public var maximumTokenSize: Int { max(jwt.configuration.maximumTokenSize, introspection.configuration.maximumTokenSize) }
    public func verificationMetrics(for token: String) -> VerificationMetrics {
        introspects(token) ? introspection.metrics : jwt.metrics
    }
}
