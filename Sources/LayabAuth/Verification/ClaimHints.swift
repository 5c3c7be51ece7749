/// Near misses among a token's claims, for a person debugging a 401: an issuer or audience that differs from
/// an accepted one only in spelling, a required scope the token nearly grants, an ID token sent where an
/// access token belongs. Made here once, beside ``Verifier/diagnosis(of:signature:)``, so that
/// `layabauth verify`, its `--json` output and the inspector say the same.
///
/// Nothing here changes a verdict: the comparisons stay byte-exact, and the hints only ride in
/// ``VerificationReport/hints``.
extension Verifier {
    /// The most values (audiences, scopes) a hint looks at: a token of thousands of scopes costs no more.
    static let hintedValueLimit = 64

    /// Hints for `claims` of `decoded`, whose claim checks are `checks` and scope evaluation `scopes`.
    func claimHints(_ decoded: DecodedToken, _ claims: Claims, checks: [ClaimCheck], scopes: ScopeEvaluation) -> [String] {
        func failed(_ code: LayabAuthError.Code) -> Bool { checks.contains { $0.error?.code == code } }
        var hints: [String] = []
        if failed(.issuerMismatch), let issuer = claims.issuer {
            hints += Self.spellingHints(claim: "iss", noun: "issuer", found: [issuer], accepted: configuration.issuers)
        }
        if failed(.audienceMismatch), let audiences = claims.audience {
            hints += Self.spellingHints(claim: "aud", noun: "audience", found: audiences, accepted: configuration.audiences)
        }
        if !scopes.isSatisfied { hints += Self.scopeHints(scopes) }
        if let hint = Self.idTokenHint(decoded.header, claims) { hints.append(hint) }
        return hints
    }

    // MARK: Issuer and audience

    /// One hint for each found value that an accepted one spells otherwise only in scheme, trailing slash or
    /// letter case.
    private static func spellingHints(claim: String, noun: String, found: [String], accepted: [String]) -> [String] {
        found.prefix(hintedValueLimit).compactMap { value in
            for expected in accepted.prefix(hintedValueLimit) {
                guard let differences = IdentifierSpelling(value).differences(from: IdentifierSpelling(expected)) else { continue }
                return "\(claim) \"\(LayabAuthError.shown(value))\" differs from the accepted \(noun) \"\(LayabAuthError.shown(expected))\" "
                    + "only by \(differences.joined(separator: " and ")): the two are compared exactly, with no normalisation "
                    + "(RFC 7519 §2), so the configured \(noun) must be spelled as the token has it, or the token must carry the configured one"
            }
            return nil
        }
    }

    // MARK: Scopes

    /// One hint for each missing scope that a granted one nearly is.
    private static func scopeHints(_ scopes: ScopeEvaluation) -> [String] {
        let granted = scopes.granted.prefix(hintedValueLimit)
        return scopes.missing.prefix(hintedValueLimit).compactMap { missing in
            let required = "the required scope \"\(LayabAuthError.shown(missing))\" is missing"
            let exact = "scopes are exact, case-sensitive strings (RFC 6749 §3.3)"
            // Canonically equivalent (Swift's == on purpose) but other bytes: NFC against NFD, or the Kelvin sign for K.
            if let twin = granted.first(where: { $0 == missing }) {
                return "\(required), but the token grants \"\(LayabAuthError.shown(twin))\", which looks the same and is written with other "
                    + "code points (\(codePoints(twin)) against \(codePoints(missing))): \(exact), without Unicode normalisation"
            }
            if let twin = granted.first(where: { $0.lowercased().hasSameUTF8(as: missing.lowercased()) }) {
                return "\(required), but the token grants \"\(LayabAuthError.shown(twin))\", which differs only in letter case: \(exact)"
            }
            if let joined = granted.first(where: { $0.contains(" ") && $0.split(separator: " ").contains { String($0).hasSameUTF8(as: missing) } }) {
                return "\(required), but the token grants \"\(LayabAuthError.shown(joined))\" as one scope: a scope array holds one scope "
                    + "per element, and only a \"scope\" string is split on spaces"
            }
            let near = granted.compactMap { grant in ScopeParts(grant).onlyDifference(from: ScopeParts(missing)).map { (grant, $0) } }
            guard let (grant, difference) = near.first else { return nil }
            let others = near.count > 1 ? " (and \(near.count - 1) more like it)" : ""
            return "\(required), but the token grants \"\(LayabAuthError.shown(grant))\"\(others), which differs only in "
                + "\"\(LayabAuthError.shown(difference.granted))\" where \"\(LayabAuthError.shown(difference.required))\" is required: "
                + "a scope grants nothing beyond its exact string (RFC 6749 §3.3)"
        }
    }

    /// The first few non-ASCII code points of `text`, as `U+0301 U+212A`.
    private static func codePoints(_ text: String) -> String {
        let points = text.unicodeScalars.filter { !$0.isASCII }.prefix(4).map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return points.isEmpty ? "ASCII only" : points.joined(separator: " ")
    }

    // MARK: ID tokens

    /// An ID token sent where an access token belongs: it carries `nonce`/`at_hash`/`c_hash`, its `aud` is the
    /// client it was issued to (`azp`), or it is an Entra ID token (`ver` without `scp` or `roles`); unless its
    /// `typ` says it is something else (`at+jwt`, RFC 9068 §2.1).
    private static func idTokenHint(_ header: JOSEHeader, _ claims: Claims) -> String? {
        guard TokenType.isPlainJWT(header) else { return nil }
        var evidence: [String] = []
        let carried = TokenType.idTokenOnlyClaims.filter { claims[$0] != nil }
        if !carried.isEmpty {
            evidence.append("it carries \(carried.map { "\"\($0)\"" }.joined(separator: " and ")), which only ID tokens do")
        }
        if let party = claims["azp"]?.stringValue, let audience = claims.audience, audience.count == 1, audience[0].hasSameUTF8(as: party) {
            evidence.append("its aud \"\(LayabAuthError.shown(party))\" is the client it was issued to (azp), not an API")
        }
        if let version = claims["ver"]?.stringValue, claims["scp"] == nil, claims["roles"] == nil {
            evidence.append("it has the Entra ID \"ver\": \"\(LayabAuthError.shown(version))\" but neither \"scp\" nor \"roles\", "
                + "which every Entra ID access token carries")
        }
        guard !evidence.isEmpty else { return nil }
        return "this looks like an OpenID Connect ID token, not an access token: \(evidence.joined(separator: "; ")). "
            + "An ID token tells the client who signed in; an API must be sent the access_token of the same token response "
            + "(typ \"\(header.type.map(LayabAuthError.shown) ?? "absent")\", where an access token has \"at+jwt\", RFC 9068)"
    }
}

/// An issuer or audience taken apart into what a byte-exact comparison does not forgive a person for
/// confusing: the scheme, trailing slashes, letter case.
private struct IdentifierSpelling {
    /// `https` of `https://…`; nil when the value has no scheme.
    let scheme: Substring?
    /// The rest, without the trailing slashes.
    let rest: Substring
    let trailingSlashes: Int

    init(_ value: String) {
        var rest = Substring(value)
        if let separator = rest.firstRange(of: "://") {
            scheme = rest[..<separator.lowerBound]
            rest = rest[separator.upperBound...]
        } else {
            scheme = nil
        }
        var slashes = 0
        while rest.utf8.last == UInt8(ascii: "/") {
            rest = rest.dropLast()
            slashes += 1
        }
        self.rest = rest
        trailingSlashes = slashes
    }

    /// How `self` differs from `other` ("a trailing slash", "the scheme", "letter case"), when it differs from
    /// it in nothing else; nil when it does (or when the two are the same bytes).
    func differences(from other: IdentifierSpelling) -> [String]? {
        guard Self.folded(rest).hasSameUTF8(as: Self.folded(other.rest)) else { return nil }
        var differences: [String] = []
        var caseDiffers = !String(rest).hasSameUTF8(as: String(other.rest))
        switch (scheme, other.scheme) {
        case let (mine?, theirs?):
            if !Self.folded(mine).hasSameUTF8(as: Self.folded(theirs)) {
                differences.append("the scheme (\(LayabAuthError.shown(String(mine))) against \(LayabAuthError.shown(String(theirs))))")
            } else if !String(mine).hasSameUTF8(as: String(theirs)) {
                caseDiffers = true
            }
        case let (only?, nil), let (nil, only?):
            differences.append("the scheme (\"\(LayabAuthError.shown(String(only)))://\" on one side only)")
        case (nil, nil):
            break
        }
        if trailingSlashes != other.trailingSlashes { differences.append("a trailing slash") }
        if caseDiffers { differences.append("letter case") }
        return differences.isEmpty ? nil : differences
    }

    private static func folded(_ text: Substring) -> String { text.lowercased() }
}

/// A scope taken apart at `:`, `/` and `.` (`api:res07:write`, `https://graph.microsoft.com/User.Read`).
private struct ScopeParts {
    let parts: [Substring]
    /// The separators between the parts, in order.
    let separators: [Character]

    init(_ scope: String) {
        func isSeparator(_ character: Character) -> Bool { character == ":" || character == "/" || character == "." }
        parts = scope.split(omittingEmptySubsequences: false, whereSeparator: isSeparator)
        separators = scope.filter(isSeparator).map { $0 }
    }

    /// The one part in which `self` (granted) differs from `required`, when the two have the same separators,
    /// at least one, and differ in exactly one part.
    func onlyDifference(from required: ScopeParts) -> (granted: String, required: String)? {
        guard !separators.isEmpty, separators == required.separators else { return nil }
        let differing = parts.indices.filter { !String(parts[$0]).hasSameUTF8(as: String(required.parts[$0])) }
        guard differing.count == 1, let index = differing.first else { return nil }
        return (String(parts[index]), String(required.parts[index]))
    }
}
