/// Verifies bearer tokens: the JWS signature against trusted keys, the claims, and required scopes.
///
/// A pure value: keys come in as a ``KeySet``, time through the configuration's clock. Fetching and
/// caching keys is the JWKS layer's business.
///
/// ```swift
/// let verifier = Verifier(keys: try KeySet(jwksJSON: jwks),
///                         configuration: .init(issuers: ["https://issuer.example"], audiences: ["my-api"]))
/// let token = try verifier.verify(bearer: request.headers["Authorization"], requiring: .all("read"))
/// print(token.claims.subject ?? "-", token.scopes)
/// ```
public struct Verifier: Sendable {
    public var keys: KeySet
    public var configuration: VerifierConfiguration

    /// - Throws: `invalid_configuration` for a configuration ``VerifierConfiguration/validate()`` refuses.
    public init(keys: KeySet, configuration: VerifierConfiguration = VerifierConfiguration()) throws(LayabAuthError) {
        try configuration.validate()
        self.init(keys: keys, validated: configuration)
    }

    /// A verifier whose configuration was validated by the caller (a `JWKSVerifier` builds one per token).
    package init(keys: KeySet, validated configuration: VerifierConfiguration) {
        self.keys = keys
        self.configuration = configuration
    }

    /// Verifies the token of an `Authorization` header value.
    /// - Throws: ``LayabAuthError``: `missing_token` or `invalid_request` for the header, then any code of ``verify(_:requiring:)-(String,_)``.
    public func verify(bearer authorization: String?, requiring scopes: ScopeRequirement? = nil) throws(LayabAuthError) -> VerifiedToken {
        let token = try BearerCredential.extract(fromAuthorization: authorization, maximumSize: configuration.maximumTokenSize)
        return try verify(token, requiring: scopes)
    }

    /// Verifies a compact JWT: signature, claims, then scopes; stops at the first failure.
    public func verify(_ token: String, requiring scopes: ScopeRequirement? = nil) throws(LayabAuthError) -> VerifiedToken {
        try configuration.validate()
        return try verifyValidated(DecodedToken.decode(token, maximumSize: configuration.maximumTokenSize), requiring: scopes)
    }

    /// Verifies a token decoded before (a caller that read its `kid` verifies without decoding it again).
    /// A token decoded for display that carries a ``DecodedToken/refusal`` is refused with it.
    public func verify(_ decoded: DecodedToken, requiring scopes: ScopeRequirement? = nil) throws(LayabAuthError) -> VerifiedToken {
        // The configuration is public and may have been changed since the verifier was built.
        try configuration.validate()
        return try verifyValidated(decoded, requiring: scopes)
    }

    /// ``verify(_:requiring:)-(DecodedToken,_)`` once the configuration was validated by the caller.
    private func verifyValidated(_ decoded: DecodedToken, requiring scopes: ScopeRequirement?) throws(LayabAuthError) -> VerifiedToken {
        if let refusal = decoded.refusal { throw refusal }
        let key = try verifiedKey(for: decoded)
        let claims = try decoded.requireClaims()
        if let error = firstClaimError(claims, header: decoded.header, now: configuration.clock()) { throw error }
        let granted = configuration.scopeExtractor.extract(decoded.raw, claims)
        if let scopes, let error = scopes.evaluate(granted: granted).error { throw error }
        return VerifiedToken(raw: decoded.raw, header: decoded.header, claims: claims, key: key, scopes: granted)
    }

    /// Verifies only the JWS signature of a compact JWS whose payload may be anything (RFC 7515).
    /// - Returns: the decoded token and the key that verified it.
    public func verifySignature(_ token: String) throws(LayabAuthError) -> (token: DecodedToken, key: VerificationKey) {
        try configuration.validate()
        let decoded = try DecodedToken.decode(token, maximumSize: configuration.maximumTokenSize)
        return (decoded, try verifiedKey(for: decoded))
    }

    /// Runs every check on `token` and reports each outcome instead of stopping at the first failure.
    /// - Parameter authentication: a route's step-up requirement (RFC 9470), reported after the scopes.
    public func report(_ token: String, requiring scopes: ScopeRequirement? = nil,
                       authentication: AuthenticationRequirement? = nil) -> VerificationReport
    {
        // Decoded for display, so that a token refused before any key is looked at (alg none, crit) still
        // shows its header and the outcome of each claim check; its signature is invalid for that reason.
        if let error = configuration.invalidity { return .undecodable(error) }
        do {
            let decoded = try DecodedToken.decodeForDisplay(token, maximumSize: configuration.maximumTokenSize)
            return reportValidated(decoded, requiring: scopes, authentication: authentication)
        } catch {
            return .undecodable(error)
        }
    }

    /// ``report(_:requiring:authentication:)-(String,_,_)`` of a token decoded before (with ``DecodedToken/decodeForDisplay(_:maximumSize:)``).
    public func report(_ decoded: DecodedToken, requiring scopes: ScopeRequirement? = nil,
                       authentication: AuthenticationRequirement? = nil) -> VerificationReport
    {
        if let error = configuration.invalidity { return .undecodable(error) }
        return reportValidated(decoded, requiring: scopes, authentication: authentication)
    }

    /// ``report(_:requiring:authentication:)-(DecodedToken,_,_)`` once the configuration was validated by the caller.
    private func reportValidated(_ decoded: DecodedToken, requiring scopes: ScopeRequirement?,
                                 authentication: AuthenticationRequirement?) -> VerificationReport
    {
        let signature: VerificationReport.Signature
        if let refusal = decoded.refusal {
            signature = .invalid(refusal)
        } else {
            do { signature = .valid(try verifiedKey(for: decoded)) } catch {
                signature = VerificationReport.Signature(keyLookupFailure: error)
            }
        }
        let hints = diagnosis(of: decoded, signature: signature)
        guard let claims = decoded.claims else {
            return VerificationReport(decoded: decoded, decodingError: decoded.payloadError, signature: signature, checks: [], scopes: nil, hints: hints)
        }
        let now = configuration.clock()
        let checks = claimChecks(claims, header: decoded.header, now: now)
        let granted = configuration.scopeExtractor.extract(decoded.raw, claims)
        let evaluation = (scopes ?? ScopeRequirement([])).evaluate(granted: granted)
        return VerificationReport(decoded: decoded, decodingError: nil, signature: signature, checks: checks, scopes: evaluation, hints: hints,
                                  claimHints: claimHints(decoded, claims, checks: checks, scopes: evaluation),
                                  authentication: authentication.map { $0.evaluate(claims, now: now, leeway: configuration.leeway) })
    }

    /// Decodes a token without verifying anything: for display only, never for access decisions. A token
    /// refused by policy before any key is looked at (`alg: none`, `crit`) is still decoded, with the reason
    /// in ``DecodedToken/refusal``; see ``DecodedToken/decodeForDisplay(_:maximumSize:)``.
    public static func decodeUnverified(_ token: String, maximumSize: Int = DecodedToken.defaultMaximumSize) throws(LayabAuthError) -> DecodedToken {
        try DecodedToken.decodeForDisplay(token, maximumSize: maximumSize)
    }
}

/// A token whose signature, claims and required scopes were all verified: a JWS verified with a key, or an
/// opaque token an authorization server's introspection endpoint (RFC 7662) declared active.
public struct VerifiedToken: Sendable {
    /// The token as received.
    public let raw: String
    /// The JOSE header of a JWS; nil for an introspected token, which has none.
    public let header: JOSEHeader?
    /// A JWS's claims, or the members of an introspection answer.
    public let claims: Claims
    /// The key that verified the signature; nil for an introspected token.
    public let key: VerificationKey?
    /// The introspection endpoint that declared the token active; nil for a JWS verified with a key.
    public let introspectedBy: String?
    /// Every scope the token grants.
    public let scopes: [String]
    /// What the token is proven bound to for this request (DPoP key or client certificate), set by
    /// `SenderConstraintPolicy.verifyBinding(of:presentedAs:now:)`; nil for a token not checked for, or not
    /// bound by, a `cnf` claim.
    public internal(set) var binding: TokenBinding? = nil

    /// A verified token as a verifier produces it; public for test doubles that stand in for a verifier.
    public init(raw: String, header: JOSEHeader, claims: Claims, key: VerificationKey, scopes: [String]) {
        self.init(raw: raw, header: header, claims: claims, key: key, introspectedBy: nil, scopes: scopes)
    }

    /// An opaque token the introspection endpoint `endpoint` declared active, its answer as `claims`.
    public init(raw: String, introspectedBy endpoint: String, claims: Claims, scopes: [String]) {
        self.init(raw: raw, header: nil, claims: claims, key: nil, introspectedBy: endpoint, scopes: scopes)
    }

    private init(raw: String, header: JOSEHeader?, claims: Claims, key: VerificationKey?, introspectedBy: String?, scopes: [String]) {
        self.raw = raw
        self.header = header
        self.claims = claims
        self.key = key
        self.introspectedBy = introspectedBy
        self.scopes = scopes
    }

    /// Whether the token was verified by introspection rather than with a key.
    public var isIntrospected: Bool { introspectedBy != nil }

    /// This token with the scopes an application grants instead of those the verifier found (layabauth's
    /// `scopes(token, token_body)`).
    public func granting(_ scopes: [String]) -> VerifiedToken {
        VerifiedToken(raw: raw, header: header, claims: claims, key: key, introspectedBy: introspectedBy, scopes: scopes)
    }
}

/// Every check of one token and its outcome.
public struct VerificationReport: Sendable {
    public enum Signature: Sendable {
        /// Verified by this key.
        case valid(VerificationKey)
        /// Checked and refused (wrong signature, algorithm not allowed, key unfit...).
        case invalid(LayabAuthError)
        /// Not checked: no key source, or no key for this token.
        case unverified(LayabAuthError)

        /// `VALID`, `INVALID` or `UNVERIFIED`.
        public var word: String {
            switch self {
            case .valid: "VALID"
            case .invalid: "INVALID"
            case .unverified: "UNVERIFIED"
            }
        }

        /// The outcome when looking up or using a key failed: a token no key could be found for, or whose keys
        /// could not be obtained, is unverified (not refused: another key set may verify it); any other
        /// failure refuses it.
        init(keyLookupFailure error: LayabAuthError) {
            switch error.code {
            case .keyNotFound, .jwksUnavailable: self = .unverified(error)
            default: self = .invalid(error)
            }
        }

        public var key: VerificationKey? { if case let .valid(key) = self { key } else { nil } }
        public var error: LayabAuthError? {
            switch self {
            case .valid: nil
            case let .invalid(error), let .unverified(error): error
            }
        }
    }

    /// The decoded token; nil when it could not be decoded at all.
    public let decoded: DecodedToken?
    /// Why the token (or its payload, as claims) could not be decoded.
    public let decodingError: LayabAuthError?
    public let signature: Signature
    public let checks: [ClaimCheck]
    public let scopes: ScopeEvaluation?
    /// The route's step-up requirement (RFC 9470) checked on the token; nil when none was given or the
    /// token carries no claims.
    public let authentication: AuthenticationEvaluation?
    /// What a person debugging the token needs to know beyond its failures (see `SignatureDiagnosis.swift` and
    /// `ClaimHints.swift`): facts the tools show, never part of an answer to a client.
    public var hints: [String] { signatureHints + claimHints }
    /// The hints about the signature, which another signature outcome (``withSignature(_:)``) replaces.
    let signatureHints: [String]
    /// The hints about the claims and scopes, which hold whatever the signature's outcome.
    let claimHints: [String]

    /// Reports are made by a ``Verifier`` (``Verifier/report(_:requiring:authentication:)-(String,_,_)``), or by ``undecodable(_:)``
    /// and ``withSignature(_:)`` from one.
    init(decoded: DecodedToken?, decodingError: LayabAuthError?, signature: Signature, checks: [ClaimCheck], scopes: ScopeEvaluation?,
         hints: [String] = [], claimHints: [String] = [], authentication: AuthenticationEvaluation? = nil)
    {
        self.decoded = decoded
        self.decodingError = decodingError
        self.signature = signature
        self.checks = checks
        self.scopes = scopes
        self.authentication = authentication
        signatureHints = hints
        self.claimHints = claimHints
    }

    /// The report of a token that could not be decoded at all (or input that is no token): `error` is both
    /// its decoding error and the reason its signature is invalid.
    public static func undecodable(_ error: LayabAuthError) -> VerificationReport {
        VerificationReport(decoded: nil, decodingError: error, signature: .invalid(error), checks: [], scopes: nil)
    }

    /// This report with another signature outcome (the key source failed before verification), unless the
    /// token was refused before any key would have been looked at.
    public func withSignature(_ signature: Signature) -> VerificationReport {
        guard decodingError == nil, decoded?.refusal == nil else { return self }
        return VerificationReport(decoded: decoded, decodingError: decodingError, signature: signature, checks: checks, scopes: scopes,
                                  claimHints: claimHints, authentication: authentication)
    }

    /// Every failure in the order ``Verifier/verify(_:requiring:)-(String,_)`` meets them, so that its error is the first:
    /// decoding, signature, the payload as claims, claims, scopes, then the step-up requirement.
    public var errors: [LayabAuthError] {
        var errors: [LayabAuthError] = []
        // A token that did not decode has no signature to check (its signature outcome repeats the error);
        // one that decoded but carries no claims set fails verification on the signature first.
        if decoded == nil, let decodingError { errors.append(decodingError) }
        if let error = signature.error, error != decodingError { errors.append(error) }
        if decoded != nil, let decodingError { errors.append(decodingError) }
        errors += checks.compactMap(\.error)
        if let error = scopes?.error { errors.append(error) }
        if let error = authentication?.error { errors.append(error) }
        return errors
    }

    public var isValid: Bool { errors.isEmpty }
}
