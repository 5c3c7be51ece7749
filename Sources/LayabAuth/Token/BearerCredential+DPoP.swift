/// A token and the scheme that carried it: `Authorization: Bearer <token>` or `Authorization: DPoP <token>`.
public struct AuthorizationCredential: Sendable, Hashable {
    public let scheme: TokenPresentation.Scheme
    public let token: String

    public init(scheme: TokenPresentation.Scheme, token: String) {
        self.scheme = scheme
        self.token = token
    }
}

extension BearerCredential {
    /// The access token of a request and its scheme, Bearer or DPoP (RFC 9449 §7.1), read from all of its
    /// `Authorization` header values, as strictly as ``token(fromAuthorizationValues:maximumSize:)``.
    /// - Returns: nil when the request carries neither scheme (no header, an empty one, Basic...).
    /// - Throws: `invalid_request` for two `Authorization` headers or a malformed credential;
    ///   `token_too_large` for a header value over `maximumSize`.
    public static func credential(fromAuthorizationValues values: [String], maximumSize: Int = DecodedToken.defaultMaximumSize)
        throws(LayabAuthError) -> AuthorizationCredential?
    {
        try credential(fromAuthorizationValues: values, schemes: [.bearer, .dpop], maximumSize: maximumSize)
    }
}
