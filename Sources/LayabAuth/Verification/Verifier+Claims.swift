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
    /// Every claim check, in a fixed order: exp, nbf, iat, iss, aud, then other required claims.
    func claimChecks(_ claims: Claims, now: Double) -> [ClaimCheck] {
        var checks: [ClaimCheck] = []
        checks.reserveCapacity(5)
        checks.append(check("exp") { () throws(LayabAuthError) in try checkExpiry(claims, now: now) })
        checks.append(check("nbf") { () throws(LayabAuthError) in try checkNotBefore(claims, now: now) })
        checks.append(check("iat") { () throws(LayabAuthError) in try checkIssuedAt(claims, now: now) })
        checks.append(check("iss") { () throws(LayabAuthError) in try checkIssuer(claims) })
        checks.append(check("aud") { () throws(LayabAuthError) in try checkAudience(claims) })
        for name in configuration.requiredClaims where !["exp", "nbf", "iat", "iss", "aud"].contains(name) {
            checks.append(check(name) { () throws(LayabAuthError) in
                guard claims[name] != nil else { throw LayabAuthError(.missingClaim, "the required claim \"\(name)\" is missing") }
                return "present"
            })
        }
        return checks
    }

    /// The first failing claim check, without building the list (the fast path of `verify`).
    func firstClaimError(_ claims: Claims, now: Double) -> LayabAuthError? {
        do throws(LayabAuthError) {
            _ = try checkExpiry(claims, now: now)
            _ = try checkNotBefore(claims, now: now)
            _ = try checkIssuedAt(claims, now: now)
            _ = try checkIssuer(claims)
            _ = try checkAudience(claims)
            for name in configuration.requiredClaims where claims[name] == nil {
                throw LayabAuthError(.missingClaim, "the required claim \"\(name)\" is missing")
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

    /// StringOrURI equality (RFC 7519 §2): the same code points. Swift's `==` would also equate canonically
    /// equivalent strings ("é" and "e" + U+0301, the Kelvin sign and "K"), which a token must not exploit.
    static func identical(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    /// RFC 7519 §4.1.4: the current time must be before `exp` (plus leeway).
    func checkExpiry(_ claims: Claims, now: Double) throws(LayabAuthError) -> String? {
        guard let exp = try NumericDate.read(claims.members, "exp") else {
            if isRequired("exp") { throw missing("exp") }
            return nil
        }
        if now >= exp + configuration.leeway {
            throw LayabAuthError(.expired, "the token expired \(TimeText.duration(now - exp)) ago (exp \(TimeText.iso8601(exp)))")
        }
        return now < exp ? "expires \(TimeText.relative(exp, now: now))" : "expired \(TimeText.duration(now - exp)) ago, within the leeway"
    }

    /// RFC 7519 §4.1.5: the current time must be at or after `nbf` (minus leeway).
    func checkNotBefore(_ claims: Claims, now: Double) throws(LayabAuthError) -> String? {
        guard let nbf = try NumericDate.read(claims.members, "nbf") else {
            if isRequired("nbf") { throw missing("nbf") }
            return nil
        }
        if now + configuration.leeway < nbf {
            throw LayabAuthError(.notYetValid, "the token is not valid for another \(TimeText.duration(nbf - now)) (nbf \(TimeText.iso8601(nbf)))")
        }
        return "valid since \(TimeText.iso8601(nbf))"
    }

    /// `iat` must not lie in the future beyond the leeway.
    func checkIssuedAt(_ claims: Claims, now: Double) throws(LayabAuthError) -> String? {
        guard let iat = try NumericDate.read(claims.members, "iat") else {
            if isRequired("iat") { throw missing("iat") }
            return nil
        }
        if iat > now + configuration.leeway {
            throw LayabAuthError(.issuedInFuture, "the token claims to be issued \(TimeText.duration(iat - now)) in the future (iat \(TimeText.iso8601(iat)))")
        }
        return "issued \(TimeText.relative(iat, now: now))"
    }

    /// `iss` must equal one accepted issuer exactly (no case folding, no prefix matching).
    func checkIssuer(_ claims: Claims) throws(LayabAuthError) -> String? {
        guard let value = claims["iss"] else {
            if !configuration.issuers.isEmpty || isRequired("iss") { throw missing("iss") }
            return nil
        }
        guard let issuer = value.stringValue else { throw LayabAuthError(.invalidClaim, "\"iss\" must be a string, found \(value.typeName)") }
        if configuration.issuers.isEmpty { return nil }
        guard configuration.issuers.contains(where: { Self.identical($0, issuer) }) else {
            let expected = configuration.issuers.map { "\"\($0)\"" }.joined(separator: " or ")
            throw LayabAuthError(.issuerMismatch, "the issuer is \"\(Self.shown(issuer))\", expected \(expected)")
        }
        return "\"\(issuer)\""
    }

    /// `aud` (a string or an array of strings) must contain an accepted audience.
    func checkAudience(_ claims: Claims) throws(LayabAuthError) -> String? {
        guard let value = claims["aud"] else {
            if !configuration.audiences.isEmpty || isRequired("aud") { throw missing("aud") }
            return nil
        }
        guard let audiences = claims.audience else {
            throw LayabAuthError(.invalidClaim, "\"aud\" must be a string or an array of strings, found \(value.typeName == "an array" ? "an array holding other values" : value.typeName)")
        }
        if configuration.audiences.isEmpty { return nil }
        guard let match = audiences.first(where: { audience in configuration.audiences.contains { Self.identical($0, audience) } }) else {
            let found = audiences.isEmpty ? "an empty list" : audiences.map { "\"\(Self.shown($0))\"" }.joined(separator: ", ")
            throw LayabAuthError(.audienceMismatch, "the audience is \(found), expected \(configuration.audiences.map { "\"\($0)\"" }.joined(separator: " or "))")
        }
        return "\"\(match)\""
    }
}
