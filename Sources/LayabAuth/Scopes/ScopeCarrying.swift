/// An authenticated identity that knows its granted scopes, so that route guards can check them
/// whatever user type an application builds from the token.
public protocol ScopeCarrying: Sendable {
    var grantedScopes: [String] { get }
}

extension VerifiedToken: ScopeCarrying {
    public var grantedScopes: [String] { scopes }
}
