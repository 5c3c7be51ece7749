/// Every check of an opaque token an introspection endpoint (RFC 7662) answered for, and its outcome: what
/// `layabauth verify` and the inspector show instead of a ``VerificationReport`` when a token is introspected.
public struct IntrospectionReport: Sendable {
    /// The endpoint asked (nil when it could not even be found, e.g. discovery failed).
    public let endpoint: String?
    /// The endpoint's answer as claims: all its members, `active` included; nil when it gave no usable answer.
    public let claims: Claims?
    /// Why the token is refused before its claims are checked: `inactive_token`, or
    /// `introspection_unavailable` when the endpoint gave no usable answer.
    public let answerError: LayabAuthError?
    /// The verifier's claim rules, run locally on the answer (exp, nbf, iat, iss, aud, required claims).
    public let checks: [ClaimCheck]
    public let scopes: ScopeEvaluation?
    /// The route's step-up requirement (RFC 9470) on the answer's `acr` and `auth_time`, when one was given.
    public let authentication: AuthenticationEvaluation?
    /// Whether the answer came from the cache rather than from the endpoint.
    public let fromCache: Bool

    package init(endpoint: String?, claims: Claims?, answerError: LayabAuthError?, checks: [ClaimCheck] = [], scopes: ScopeEvaluation? = nil,
                 authentication: AuthenticationEvaluation? = nil, fromCache: Bool = false)
    {
        self.authentication = authentication
        self.endpoint = endpoint
        self.claims = claims
        self.answerError = answerError
        self.checks = checks
        self.scopes = scopes
        self.fromCache = fromCache
    }

    /// Whether the endpoint declared the token active.
    public var isActive: Bool { claims != nil && answerError == nil }

    /// Every failure in the order verification meets them: the answer, the claims, the scopes, the step-up requirement.
    public var errors: [LayabAuthError] {
        var errors: [LayabAuthError] = []
        if let answerError { errors.append(answerError) }
        errors += checks.compactMap(\.error)
        if let error = scopes?.error { errors.append(error) }
        if let error = authentication?.error { errors.append(error) }
        return errors
    }

    public var isValid: Bool { errors.isEmpty }
}
