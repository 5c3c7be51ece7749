/// One claim check and its outcome, as the inspector and `layabauth verify` list them.
public struct ClaimCheck: Sendable {
    /// `exp`, `nbf`, `iat`, `iss`, `aud`, or the name of a required claim.
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

extension Verifier {
    /// Every claim check, in a fixed order: exp, nbf, iat, iss, aud, then a `sub` or `jti` that is not a
    /// string, then other required claims.
    func claimChecks(_ claims: Claims, now: Double) -> [ClaimCheck] {
        var checks: [ClaimCheck] = []
        checks.reserveCapacity(5)
        checks.append(check("exp") { () throws(LayabAuthError) in try checkExpiry(claims, now: now) })
        checks.append(check("nbf") { () throws(LayabAuthError) in try checkNotBefore(claims, now: now) })
        checks.append(check("iat") { () throws(LayabAuthError) in try checkIssuedAt(claims, now: now) })
        checks.append(check("iss") { () throws(LayabAuthError) in try checkIssuer(claims) })
        checks.append(check("aud") { () throws(LayabAuthError) in try checkAudience(claims) })
        // sub and jti are listed only when they fail: a wrong type, or absent while required.
        for claim in Self.stringClaims where !isRequired(claim.name) {
            if let error = Self.stringClaimError(claims, claim) { checks.append(ClaimCheck(claim: claim.name, outcome: .failed(error))) }
        }
        for name in configuration.requiredClaims where !["exp", "nbf", "iat", "iss", "aud"].contains(name) {
            checks.append(check(name) { () throws(LayabAuthError) in
                guard claims[name] != nil else { throw LayabAuthError(.missingClaim, "the required claim \"\(name)\" is missing") }
                if let error = Self.stringClaimError(claims, named: name) { throw error }
                return "present"
            })
        }
        return checks
    }

    /// The first failing claim check, without building the list or the descriptions of passed checks
    /// (the fast path of `verify`). Fails exactly as ``claimChecks(_:now:)`` would.
    func firstClaimError(_ claims: Claims, now: Double) -> LayabAuthError? {
        do throws(LayabAuthError) {
            _ = try validExpiry(claims, now: now)
            _ = try validNotBefore(claims, now: now)
            _ = try validIssuedAt(claims, now: now)
            try checkIssuerFast(claims)
            try checkAudienceFast(claims)
            for claim in Self.stringClaims where !isRequired(claim.name) {
                if let error = Self.stringClaimError(claims, claim) { throw error }
            }
            for name in configuration.requiredClaims {
                if claims[name] == nil { throw LayabAuthError(.missingClaim, "the required claim \"\(name)\" is missing") }
                if let error = Self.stringClaimError(claims, named: name) { throw error }
            }
            return nil
        } catch {
            return error
        }
    }

    private func check(_ claim: String, _ body: () throws(LayabAuthError) -> String?) -> ClaimCheck {
        do {
            if let detail = try body() { return ClaimCheck(claim: claim, outcome: .passed(detail)) }
            return ClaimCheck(claim: claim, outcome: .skipped(skipReason(claim)))
        } catch {
            return ClaimCheck(claim: claim, outcome: .failed(error))
        }
    }

    private func skipReason(_ claim: String) -> String {
        switch claim {
        case "iss": configuration.issuers.isEmpty ? "no issuer configured" : "absent"
        case "aud": configuration.audiences.isEmpty ? "no audience configured" : "absent"
        default: "absent, not required"
        }
    }

    private func isRequired(_ name: String) -> Bool { configuration.requiredClaims.contains(name) }

    private func missing(_ name: String) -> LayabAuthError {
        LayabAuthError(.missingClaim, "the required claim \"\(name)\" is missing")
    }

    /// RFC 7519 §4.1.4: the current time must be before `exp` (plus leeway).
    func checkExpiry(_ claims: Claims, now: Double) throws(LayabAuthError) -> String? {
        guard let exp = try validExpiry(claims, now: now) else { return nil }
        return now < exp ? "expires \(TimeText.relative(exp, now: now))" : "expired \(TimeText.duration(now - exp)) ago, within the leeway"
    }

    /// The `exp` check alone: the expiry, nil when absent and not required.
    func validExpiry(_ claims: Claims, now: Double) throws(LayabAuthError) -> Double? {
        guard let exp = try NumericDate.read(claims, .exp) else {
            if isRequired("exp") { throw missing("exp") }
            return nil
        }
        if now >= exp + configuration.leeway {
            throw LayabAuthError(.expired, "the token expired \(TimeText.duration(now - exp)) ago (exp \(TimeText.iso8601(exp)))")
        }
        return exp
    }

    /// RFC 7519 §4.1.5: the current time must be at or after `nbf` (minus leeway).
    func checkNotBefore(_ claims: Claims, now: Double) throws(LayabAuthError) -> String? {
        guard let nbf = try validNotBefore(claims, now: now) else { return nil }
        return now >= nbf ? "valid since \(TimeText.iso8601(nbf))" : "valid in \(TimeText.duration(nbf - now)), accepted within the leeway"
    }

    /// The `nbf` check alone: the start of validity, nil when absent and not required.
    func validNotBefore(_ claims: Claims, now: Double) throws(LayabAuthError) -> Double? {
        guard let nbf = try NumericDate.read(claims, .nbf) else {
            if isRequired("nbf") { throw missing("nbf") }
            return nil
        }
        if now + configuration.leeway < nbf {
            throw LayabAuthError(.notYetValid, "the token is not valid for another \(TimeText.duration(nbf - now)) (nbf \(TimeText.iso8601(nbf)))")
        }
        return nbf
    }

    /// `iat` must not lie in the future beyond the leeway.
    func checkIssuedAt(_ claims: Claims, now: Double) throws(LayabAuthError) -> String? {
        guard let iat = try validIssuedAt(claims, now: now) else { return nil }
        return "issued \(TimeText.relative(iat, now: now))"
    }

    /// The `iat` check alone: the issue time, nil when absent and not required.
    func validIssuedAt(_ claims: Claims, now: Double) throws(LayabAuthError) -> Double? {
        guard let iat = try NumericDate.read(claims, .iat) else {
            if isRequired("iat") { throw missing("iat") }
            return nil
        }
        if iat > now + configuration.leeway {
            throw LayabAuthError(.issuedInFuture, "the token claims to be issued \(TimeText.duration(iat - now)) in the future (iat \(TimeText.iso8601(iat)))")
        }
        return iat
    }

    /// ``checkIssuer(_:)`` without its description; a failure is reported by ``checkIssuer(_:)`` itself.
    private func checkIssuerFast(_ claims: Claims) throws(LayabAuthError) {
        if case let .string(issuer)? = claims[.iss] {
            if configuration.issuers.isEmpty || configuration.issuers.contains(where: { $0.hasSameUTF8(as: issuer) }) { return }
        }
        _ = try checkIssuer(claims)
    }

    /// ``checkAudience(_:)`` without building the audience list; a failure is reported by ``checkAudience(_:)``.
    private func checkAudienceFast(_ claims: Claims) throws(LayabAuthError) {
        func accepted(_ audience: String) -> Bool { configuration.audiences.contains { $0.hasSameUTF8(as: audience) } }
        switch claims[.aud] {
        case let .string(audience)?:
            if configuration.audiences.isEmpty || accepted(audience) { return }
        case let .array(values)?:
            var allStrings = true, found = false
            for value in values {
                guard case let .string(audience) = value else { allStrings = false; break }
                if !found, accepted(audience) { found = true }
            }
            if allStrings, configuration.audiences.isEmpty || found { return }
        default:
            break
        }
        _ = try checkAudience(claims)
    }

    /// Registered claims that, when present, must be JSON strings whatever the configuration: `sub`
    /// (RFC 7519 §4.1.2, a StringOrURI) and `jti` (§4.1.7). An application that reads the subject of an
    /// accepted token then never meets a number, an array or an object there. `iss` and `aud` have their
    /// own checks.
    static let stringClaims: [RegisteredClaim] = [.sub, .jti]

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

    /// `iss` must equal one accepted issuer exactly (no case folding, no prefix matching).
    func checkIssuer(_ claims: Claims) throws(LayabAuthError) -> String? {
        guard let value = claims[.iss] else {
            if !configuration.issuers.isEmpty || isRequired("iss") { throw missing("iss") }
            return nil
        }
        guard let issuer = value.stringValue else { throw LayabAuthError(.invalidClaim, "\"iss\" must be a string, found \(value.typeName)") }
        if configuration.issuers.isEmpty { return nil }
        guard configuration.issuers.contains(where: { $0.hasSameUTF8(as: issuer) }) else {
            let expected = configuration.issuers.map { "\"\($0)\"" }.joined(separator: " or ")
            throw LayabAuthError(.issuerMismatch, "the issuer is \"\(Self.shown(issuer))\", expected \(expected)")
        }
        return "\"\(issuer)\""
    }

    /// `aud` (a string or an array of strings) must contain an accepted audience.
    func checkAudience(_ claims: Claims) throws(LayabAuthError) -> String? {
        guard let value = claims[.aud] else {
            if !configuration.audiences.isEmpty || isRequired("aud") { throw missing("aud") }
            return nil
        }
        guard let audiences = claims.audience else {
            throw LayabAuthError(.invalidClaim, "\"aud\" must be a string or an array of strings, found \(value.typeName == "an array" ? "an array holding other values" : value.typeName)")
        }
        if configuration.audiences.isEmpty { return nil }
        guard let match = audiences.first(where: { audience in configuration.audiences.contains { $0.hasSameUTF8(as: audience) } }) else {
            let found = audiences.isEmpty ? "an empty list" : audiences.map { "\"\(Self.shown($0))\"" }.joined(separator: ", ")
            throw LayabAuthError(.audienceMismatch, "the audience is \(found), expected \(configuration.audiences.map { "\"\($0)\"" }.joined(separator: " or "))")
        }
        return "\"\(match)\""
    }
}
