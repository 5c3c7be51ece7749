/// One claim check and its outcome, as the inspector and `layabauth verify` list them.
public struct ClaimCheck: Sendable {
    /// `typ` (the header's), `exp`, `nbf`, `iat`, `iss`, `aud`, or the name of a required claim.
    public let claim: String
    public enum Outcome: Sendable {
        case passed(String)
        case failed(LayabAuthError)
        /// Not configured or not present, and not required.
        case skipped(String)
    }
    public let outcome: Outcome

    public var error: LayabAuthError? { if case let .failed(error) = outcome { error } else { nil } }
    public var passed: Bool { if case .failed = outcome { false } else { true } }
}

/// One rule about the claims of a token. Every claim rule lives here, once: ``Verifier/verify(_:requiring:)-(String,_)``
/// runs them to the first failure, ``Verifier/report(_:requiring:authentication:)-(String,_,_)`` runs them all, and both see the same
/// outcome of each rule.
enum ClaimRule: Sendable {
    /// The header's `typ` must be one of the configuration's ``VerifierConfiguration/requiredTypes`` (see `TokenType.swift`).
    case tokenType
    /// RFC 7519 §4.1.4: the current time must be before `exp` (plus leeway).
    case expiry
    /// RFC 7519 §4.1.5: the current time must be at or after `nbf` (minus leeway).
    case notBefore
    /// `iat` must not lie in the future beyond the leeway.
    case issuedAt
    /// `iss` must equal one accepted issuer exactly (no case folding, no prefix matching).
    case issuer
    /// `aud` (a string or an array of strings) must contain an accepted audience.
    case audience
    /// A registered claim that must be a JSON string when present, required or not (``Verifier/stringClaims``).
    case stringType(RegisteredClaim)
    /// A claim the configuration requires (other than the five above, which check presence themselves).
    case required(String)

    var claim: String {
        switch self {
        case .tokenType: "typ"
        case .expiry: "exp"
        case .notBefore: "nbf"
        case .issuedAt: "iat"
        case .issuer: "iss"
        case .audience: "aud"
        case let .stringType(claim): claim.name
        case let .required(name): name
        }
    }

    /// The rules every configuration runs first, in this order.
    static let timeAndParties: [ClaimRule] = [.expiry, .notBefore, .issuedAt, .issuer, .audience]

    /// Whether `name` is one the five rules above check (byte for byte).
    static func isTimeOrParty(_ name: String) -> Bool { timeAndParties.contains { $0.claim.hasSameUTF8(as: name) } }
}

/// What a passing claim rule found: kept as values, so that `verify` builds no text and a report describes
/// them only when it lists them.
enum ClaimFinding: Sendable {
    case expiresAt(Double)
    case validFrom(Double)
    case issuedAt(Double)
    /// The accepted issuer or audience found in the token.
    case matched(String)
    case present

    func description(now: Double) -> String {
        switch self {
        case let .expiresAt(exp):
            now < exp ? "expires \(TimeText.relative(exp, now: now))" : "expired \(TimeText.duration(from: exp, to: now)) ago, within the leeway"
        case let .validFrom(nbf):
            now >= nbf ? "valid since \(TimeText.iso8601(nbf))" : "valid in \(TimeText.duration(from: now, to: nbf)), accepted within the leeway"
        case let .issuedAt(iat): "issued \(TimeText.relative(iat, now: now))"
        case let .matched(value): "\"\(value)\""
        case .present: "present"
        }
    }
}

extension Verifier {
    /// Registered claims that, when present, must be JSON strings whatever the configuration: `sub`
    /// (RFC 7519 §4.1.2, a StringOrURI) and `jti` (§4.1.7). An application that reads the subject of an
    /// accepted token then never meets a number, an array or an object there. `iss` and `aud` have their
    /// own rules.
    static let stringClaims: [RegisteredClaim] = [.sub, .jti]

    /// Runs the claim rules of this configuration in their fixed order — the header's `typ` when types are
    /// required, exp, nbf, iat, iss, aud, then a `sub`
    /// or `jti` that is not required, then the other required claims in their configured order — handing each
    /// rule and its outcome to `visit`, until `visit` returns false.
    ///
    /// An outcome is the finding of a rule that passed, nil for one that had nothing to check (the claim absent
    /// and not required, or nothing configured), or the error of one that failed.
    ///
    /// `header` is nil for an opaque token vouched for by introspection (RFC 7662): it has no `typ`, and the
    /// `typ` rule (RFC 9068 is a profile of JWTs) does not apply to it.
    func runClaimRules(_ claims: Claims, header: JOSEHeader?, now: Double,
                       _ visit: (ClaimRule, Result<ClaimFinding?, LayabAuthError>) -> Bool)
    {
        func run(_ rule: ClaimRule) -> Bool {
            visit(rule, Result { () throws(LayabAuthError) in try check(rule, claims, header: header, now: now) })
        }
        if !configuration.requiredTypes.isEmpty, header != nil, !run(.tokenType) { return }
        for rule in ClaimRule.timeAndParties where !run(rule) { return }
        for claim in Self.stringClaims where !isRequired(claim.name) {
            if !run(.stringType(claim)) { return }
        }
        for name in configuration.requiredClaims where !ClaimRule.isTimeOrParty(name) {
            if !run(.required(name)) { return }
        }
    }

    /// The first failing claim rule's error (the path of `verify`).
    func firstClaimError(_ claims: Claims, header: JOSEHeader?, now: Double) -> LayabAuthError? {
        var first: LayabAuthError?
        runClaimRules(claims, header: header, now: now) { _, outcome in
            guard case let .failure(error) = outcome else { return true }
            first = error
            return false
        }
        return first
    }

    /// Every claim rule's outcome, described (the path of `report`). A `sub` or `jti` that is not required is
    /// listed only when it fails.
    func claimChecks(_ claims: Claims, header: JOSEHeader?, now: Double) -> [ClaimCheck] {
        var checks: [ClaimCheck] = []
        checks.reserveCapacity(ClaimRule.timeAndParties.count)
        runClaimRules(claims, header: header, now: now) { rule, outcome in
            switch outcome {
            case let .success(finding?):
                checks.append(ClaimCheck(claim: rule.claim, outcome: .passed(finding.description(now: now))))
            case .success(nil):
                if case .stringType = rule { break }
                checks.append(ClaimCheck(claim: rule.claim, outcome: .skipped(skipReason(rule))))
            case let .failure(error):
                checks.append(ClaimCheck(claim: rule.claim, outcome: .failed(error)))
            }
            return true
        }
        return checks
    }

    private func skipReason(_ rule: ClaimRule) -> String {
        switch rule {
        case .issuer: configuration.issuers.isEmpty ? "no issuer configured" : "absent"
        case .audience: configuration.audiences.isEmpty ? "no audience configured" : "absent"
        default: "absent, not required"
        }
    }

    private func isRequired(_ name: String) -> Bool { configuration.requiredClaims.contains(name) }

    private func missing(_ name: String) -> LayabAuthError {
        LayabAuthError(.missingClaim, "the required claim \"\(name)\" is missing")
    }

    /// One rule over `claims`: its finding, nil when there was nothing to check.
    func check(_ rule: ClaimRule, _ claims: Claims, header: JOSEHeader?, now: Double) throws(LayabAuthError) -> ClaimFinding? {
        switch rule {
        case .tokenType:
            guard let header else { return nil }
            if let error = TokenType.error(header, claims, required: configuration.requiredTypes) { throw error }
            return header.type.map(ClaimFinding.matched)
        case .expiry:
            guard let exp = try NumericDate.read(claims, .exp) else { return try absent("exp") }
            if now >= exp + configuration.leeway {
                throw LayabAuthError(.expired, "the token expired \(TimeText.duration(from: exp, to: now)) ago (exp \(TimeText.iso8601(exp)))")
            }
            return .expiresAt(exp)
        case .notBefore:
            guard let nbf = try NumericDate.read(claims, .nbf) else { return try absent("nbf") }
            if now + configuration.leeway < nbf {
                throw LayabAuthError(.notYetValid, "the token is not valid for another \(TimeText.duration(from: now, to: nbf)) (nbf \(TimeText.iso8601(nbf)))")
            }
            return .validFrom(nbf)
        case .issuedAt:
            guard let iat = try NumericDate.read(claims, .iat) else { return try absent("iat") }
            if iat > now + configuration.leeway {
                throw LayabAuthError(.issuedInFuture, "the token claims to be issued \(TimeText.duration(from: now, to: iat)) in the future (iat \(TimeText.iso8601(iat)))")
            }
            return .issuedAt(iat)
        case .issuer:
            return try checkIssuer(claims)
        case .audience:
            return try checkAudience(claims)
        case let .stringType(claim):
            if let error = Self.stringClaimError(claims, claim) { throw error }
            return nil
        case let .required(name):
            guard claims[name] != nil else { throw missing(name) }
            if let error = Self.stringClaimError(claims, named: name) { throw error }
            return .present
        }
    }

    /// A time claim that is absent: nil, or `missing_claim` when the configuration requires it.
    private func absent(_ name: String) throws(LayabAuthError) -> ClaimFinding? {
        if isRequired(name) { throw missing(name) }
        return nil
    }

    /// `invalid_claim` when `claim` is present and not a string.
    static func stringClaimError(_ claims: Claims, _ claim: RegisteredClaim) -> LayabAuthError? {
        guard let value = claims[claim], value.stringValue == nil else { return nil }
        return LayabAuthError(.invalidClaim, "\"\(claim.name)\" must be a string, found \(value.typeName)")
    }

    /// ``stringClaimError(_:_:)`` for a claim given by name: nil unless it is one of ``stringClaims``.
    static func stringClaimError(_ claims: Claims, named name: String) -> LayabAuthError? {
        guard let claim = RegisteredClaim(name: name), stringClaims.contains(claim) else { return nil }
        return stringClaimError(claims, claim)
    }

    private func checkIssuer(_ claims: Claims) throws(LayabAuthError) -> ClaimFinding? {
        guard let value = claims[.iss] else {
            if !configuration.issuers.isEmpty || isRequired("iss") { throw missing("iss") }
            return nil
        }
        guard case let .string(issuer) = value else { throw LayabAuthError(.invalidClaim, "\"iss\" must be a string, found \(value.typeName)") }
        if configuration.issuers.isEmpty { return nil }
        guard configuration.issuers.contains(where: { $0.hasSameUTF8(as: issuer) }) else {
            let expected = configuration.issuers.map { "\"\($0)\"" }.joined(separator: " or ")
            throw LayabAuthError(.issuerMismatch, "the issuer is \"\(LayabAuthError.shown(issuer))\", expected \(expected)",
                                 clientMessage: "the issuer \"\(LayabAuthError.shown(issuer))\" is not accepted here")
        }
        return .matched(issuer)
    }

    /// Reads `aud` in one pass, building no list unless it fails.
    private func checkAudience(_ claims: Claims) throws(LayabAuthError) -> ClaimFinding? {
        guard let value = claims[.aud] else {
            if !configuration.audiences.isEmpty || isRequired("aud") { throw missing("aud") }
            return nil
        }
        func accepted(_ audience: String) -> Bool { configuration.audiences.contains { $0.hasSameUTF8(as: audience) } }
        let match: String?
        switch value {
        case let .string(audience):
            match = accepted(audience) ? audience : nil
        case let .array(values):
            var found: String?
            for value in values {
                guard case let .string(audience) = value else {
                    throw LayabAuthError(.invalidClaim, "\"aud\" must be a string or an array of strings, found an array holding other values")
                }
                if found == nil, accepted(audience) { found = audience }
            }
            match = found
        default:
            throw LayabAuthError(.invalidClaim, "\"aud\" must be a string or an array of strings, found \(value.typeName)")
        }
        if configuration.audiences.isEmpty { return nil }
        if let match { return .matched(match) }
        let audiences = claims.audience ?? []
        let found = audiences.isEmpty ? "an empty list" : LayabAuthError.shownList(audiences)
        throw LayabAuthError(.audienceMismatch, "the audience is \(found), expected \(configuration.audiences.map { "\"\($0)\"" }.joined(separator: " or "))",
                             clientMessage: "the audience is \(found), which is not accepted here")
    }
}
