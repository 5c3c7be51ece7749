/// Opaque tokens: an introspection endpoint (RFC 7662) vouches for the token instead of a signature, and its
/// answer goes through the same claim rules (`runClaimRules`) and scope check as a JWS's claims.
extension Verifier {
    /// Verifies the answer of an introspection endpoint that declared `raw` active: the claim rules of this
    /// configuration (exp, nbf, iat, iss, aud, required claims) run on `claims` locally, then the scopes.
    /// - Parameters:
    ///   - claims: the endpoint's answer, every member.
    ///   - raw: the token, handed to the configuration's ``ScopeExtractor``.
    ///   - endpoint: the endpoint that answered, recorded in ``VerifiedToken/introspectedBy``.
    /// - Throws: the first failing claim rule's error, `insufficient_scope`, or `invalid_configuration`.
    public func verify(introspected claims: Claims, raw: String, endpoint: String, requiring scopes: ScopeRequirement? = nil) throws(LayabAuthError) -> VerifiedToken {
        try configuration.validate()
        if let error = firstClaimError(claims, header: nil, now: configuration.clock()) { throw error }
        let granted = configuration.scopeExtractor.extract(raw, claims)
        if let scopes, let error = scopes.evaluate(granted: granted).error { throw error }
        return VerifiedToken(raw: raw, introspectedBy: endpoint, claims: claims, scopes: granted)
    }

    /// Every claim rule's and the scopes' outcome for an introspection answer that declared `raw` active, and
    /// the route's step-up requirement (RFC 9470) when one is given.
    public func report(introspected claims: Claims, raw: String, endpoint: String, requiring scopes: ScopeRequirement? = nil,
                       authentication: AuthenticationRequirement? = nil, fromCache: Bool = false) -> IntrospectionReport
    {
        if let error = configuration.invalidity { return IntrospectionReport(endpoint: endpoint, claims: claims, answerError: error) }
        let granted = configuration.scopeExtractor.extract(raw, claims)
        let now = configuration.clock()
        return IntrospectionReport(endpoint: endpoint, claims: claims, answerError: nil, checks: claimChecks(claims, header: nil, now: now),
                                   scopes: (scopes ?? ScopeRequirement([])).evaluate(granted: granted),
                                   authentication: authentication.map { $0.evaluate(claims, now: now, leeway: configuration.leeway) },
                                   fromCache: fromCache)
    }
}
