/// An authenticated identity that knows its granted scopes, so that route guards can check them
/// whatever user type an application builds from the token.
public protocol ScopeCarrying: Sendable {
    var grantedScopes: [String] { get }
}

extension VerifiedToken: ScopeCarrying {
    public var grantedScopes: [String] { scopes }
}

/// An authenticated identity that knows the claims of its verified token, so that route guards can check
/// how recent or how strong the login was (``AuthenticationRequirement``, RFC 9470) whatever user type an
/// application builds from the token.
public protocol ClaimsCarrying: Sendable {
    var verifiedClaims: Claims { get }
    /// What the token's binding was proven against for this request (DPoP key, client certificate); nil for
    /// a token bound to nothing.
    var verifiedBinding: TokenBinding? { get }
}

extension VerifiedToken: ClaimsCarrying {
    public var verifiedClaims: Claims { claims }
    public var verifiedBinding: TokenBinding? { binding }
}
