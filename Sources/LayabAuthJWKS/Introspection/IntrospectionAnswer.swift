import LayabAuth

/// What an introspection endpoint said about one token (RFC 7662 §2.2).
package enum IntrospectionAnswer: Sendable, Equatable {
    /// `"active": true`: every member of the answer, as the token's claims.
    case active(Claims)
    /// `"active": false` (revoked, expired, unknown to the server, or not for this client).
    case inactive

    /// `inactive_token` for `endpoint`'s verdict.
    static func inactiveError(endpoint: String) -> LayabAuthError {
        LayabAuthError(.inactiveToken, "the introspection endpoint \(endpoint) reports the token as not active",
                       clientMessage: "the token is not active (revoked, expired or unknown to the authorization server)")
    }
}
