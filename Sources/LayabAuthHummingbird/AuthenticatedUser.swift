#if Hummingbird
import LayabAuth

/// An application's own user type in `context.identity`, together with the verified token and the scopes
/// granted to it: what ``BearerTokenAuthenticator/init(verifier:realm:disclosure:cachingVerifiedTokens:senderConstraints:createUser:scopes:)``
/// builds, like layabauth's Starlette backend pairs `create_user(token, token_body)` with
/// `scopes(token, token_body)`.
///
/// Members of `User` read through it (`context.identity?.name`), and it carries its scopes, so
/// ``RequireScopes`` and `context.requireScopes` check them, and its claims, so ``RequireAuthentication`` and
/// `context.requireAuthentication` check the login's `acr` and age.
@dynamicMemberLookup
public struct AuthenticatedUser<User: Sendable>: ScopeCarrying, ClaimsCarrying {
    /// What `createUser` built.
    public let user: User
    /// The verified token; its `scopes` are the granted scopes (the `scopes` closure's, when one was given).
    public let token: VerifiedToken

    public init(user: User, token: VerifiedToken) {
        self.user = user
        self.token = token
    }

    public var grantedScopes: [String] { token.scopes }
    public var verifiedClaims: Claims { token.claims }
    public var verifiedBinding: TokenBinding? { token.binding }
    /// The client the token was issued to (`client_id`, RFC 9068 §2.2), when the token names one.
    public var clientID: String? { token.clientID }

    public subscript<Value>(dynamicMember keyPath: KeyPath<User, Value>) -> Value { user[keyPath: keyPath] }
}
#endif
