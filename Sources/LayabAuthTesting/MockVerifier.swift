import LayabAuth
import LayabAuthJWKS

/// Authentication mock in layabauth's `auth_mock` spirit: any bearer token is accepted and yields the
/// configured token body. The `Authorization: Bearer …` header is still required, and required scopes
/// are still checked against the body's scopes, so routes behave as they will in production.
///
/// Plug it in where the application takes its `TokenVerifying`; nothing else changes.
public struct MockVerifier: TokenVerifying {
    public var tokenBody: JSONObject
    public var scopeExtractor: ScopeExtractor
    public let maximumTokenSize: Int
    private let key: VerificationKey

    public init(tokenBody: JSONObject, scopeExtractor: ScopeExtractor = .standard, maximumTokenSize: Int = DecodedToken.defaultMaximumSize) throws {
        self.tokenBody = tokenBody
        self.scopeExtractor = scopeExtractor
        self.maximumTokenSize = maximumTokenSize
        key = try VerificationKey(hmacSecret: Array(repeating: 0x6D, count: 32), kid: "mock")
    }

    public func verify(_ token: String, requiring scopes: ScopeRequirement?) async throws(LayabAuthError) -> VerifiedToken {
        let claims = Claims(tokenBody)
        let granted = scopeExtractor.extract(token, claims)
        if let scopes, let error = scopes.evaluate(granted: granted).error { throw error }
        let header = try JOSEHeader(["alg": "HS256", "typ": "JWT", "kid": "mock"])
        return VerifiedToken(raw: token, header: header, claims: claims, key: key, scopes: granted)
    }
}
