import Foundation
@testable import LayabAuth
import Testing

/// Issue 14, "hints a person debugging a 401 needs": an issuer or audience spelled otherwise, a scope the token
/// nearly grants, an ID token sent to an API. The checks stay byte-exact; only ``VerificationReport/hints`` says more.
@Suite("Claim hints (issue 14)")
struct ClaimHintTests {
    static let signer: SigningKey = {
        do { return try SigningKey.generate(.es256, kid: "hints") } catch { preconditionFailure("\(error)") }
    }()

    static func report(_ claims: JSONObject, header: JSONObject? = nil, requiring scopes: [String] = [],
                       _ adjust: (inout VerifierConfiguration) -> Void = { _ in }) throws -> VerificationReport
    {
        var configuration = VerifierConfiguration()
        adjust(&configuration)
        var members = claims
        members["exp"] = .integer(Int64(Date().timeIntervalSince1970) + 600)
        let token = if let header {
            try signer.sign(header: header, payload: Array(JSONValue.object(members).jsonText.utf8))
        } else {
            try signer.sign(claims: members)
        }
        return try Verifier(keys: KeySet(keys: [signer.verificationKey]), configuration: configuration).report(token, requiring: ScopeRequirement(scopes))
    }

    struct Spelling: Sendable, CustomTestStringConvertible {
        let name: String
        let found: String
        let expected: String
        /// What the hint names as the difference; nil when no hint is due.
        let difference: String?
        var testDescription: String { name }
    }

    static let spellings: [Spelling] = [
        Spelling(name: "trailing slash", found: "https://idp.example.com/", expected: "https://idp.example.com", difference: "only by a trailing slash"),
        Spelling(name: "slash missing", found: "https://idp.example.com/realms/x", expected: "https://idp.example.com/realms/x/", difference: "only by a trailing slash"),
        Spelling(name: "http for https", found: "http://idp.example.com", expected: "https://idp.example.com", difference: "only by the scheme (http against https)"),
        Spelling(name: "no scheme", found: "idp.example.com", expected: "https://idp.example.com", difference: "only by the scheme (\"https://\" on one side only)"),
        Spelling(name: "host case", found: "https://IdP.Example.com", expected: "https://idp.example.com", difference: "only by letter case"),
        Spelling(name: "scheme case", found: "HTTPS://idp.example.com", expected: "https://idp.example.com", difference: "only by letter case"),
        Spelling(name: "all three", found: "http://IDP.example.com/", expected: "https://idp.example.com",
                 difference: "only by the scheme (http against https) and a trailing slash and letter case"),
        Spelling(name: "another host", found: "https://idp.example.org", expected: "https://idp.example.com", difference: nil),
        Spelling(name: "a longer path", found: "https://idp.example.com/other", expected: "https://idp.example.com", difference: nil),
        Spelling(name: "a default port", found: "https://idp.example.com:443", expected: "https://idp.example.com", difference: nil),
    ]

    @Test("an issuer spelled otherwise: still issuer_mismatch, and the hint says how it differs", arguments: spellings)
    func issuerSpelling(_ vector: Spelling) throws {
        let report = try Self.report(["iss": .string(vector.found)]) { $0.issuers = [vector.expected] }
        #expect(report.checks.first { $0.claim == "iss" }?.error?.code == .issuerMismatch)
        let hint = report.hints.first { $0.hasPrefix("iss ") }
        guard let difference = vector.difference else { #expect(report.hints.isEmpty, "\(report.hints)"); return }
        #expect(hint == "iss \"\(vector.found)\" differs from the accepted issuer \"\(vector.expected)\" \(difference): the two are compared "
            + "exactly, with no normalisation (RFC 7519 §2), so the configured issuer must be spelled as the token has it, "
            + "or the token must carry the configured one", "\(report.hints)")
        // A client is told nothing of it.
        #expect(report.errors.allSatisfy { !$0.errorDescription.contains("normalisation") })
    }

    @Test("an audience spelled otherwise, in a list: still audience_mismatch, and the hint names the value", arguments: spellings)
    func audienceSpelling(_ vector: Spelling) throws {
        let report = try Self.report(["aud": [.string("another-api"), .string(vector.found)]]) { $0.audiences = [vector.expected] }
        #expect(report.checks.first { $0.claim == "aud" }?.error?.code == .audienceMismatch)
        let hints = report.hints.filter { $0.hasPrefix("aud ") }
        guard let difference = vector.difference else { #expect(hints.isEmpty, "\(hints)"); return }
        #expect(hints.count == 1)
        #expect(hints.first?.hasPrefix("aud \"\(vector.found)\" differs from the accepted audience \"\(vector.expected)\" \(difference):") == true, "\(hints)")
    }

    @Test("an issuer that matches gives no hint")
    func matchingIssuer() throws {
        let report = try Self.report(["iss": "https://idp.example.com", "aud": "api"]) { $0.issuers = ["https://idp.example.com"]; $0.audiences = ["api"] }
        #expect(report.isValid)
        #expect(report.hints.isEmpty)
    }

    struct ScopeCase: Sendable, CustomTestStringConvertible {
        let name: String
        let granted: JSONValue
        let required: String
        let hint: String?
        var testDescription: String { name }
    }

    static let scopeCases: [ScopeCase] = [
        ScopeCase(name: "read granted, write required", granted: "api:res07:read openid", required: "api:res07:write",
                  hint: "the required scope \"api:res07:write\" is missing, but the token grants \"api:res07:read\", which differs only in "
                      + "\"read\" where \"write\" is required: a scope grants nothing beyond its exact string (RFC 6749 §3.3)"),
        ScopeCase(name: "another resource", granted: ["api:res06:write"], required: "api:res07:write",
                  hint: "the required scope \"api:res07:write\" is missing, but the token grants \"api:res06:write\", which differs only in "
                      + "\"res06\" where \"res07\" is required: a scope grants nothing beyond its exact string (RFC 6749 §3.3)"),
        ScopeCase(name: "letter case", granted: "API:Res07:Write", required: "api:res07:write",
                  hint: "the required scope \"api:res07:write\" is missing, but the token grants \"API:Res07:Write\", which differs only "
                      + "in letter case: scopes are exact, case-sensitive strings (RFC 6749 §3.3)"),
        ScopeCase(name: "decomposed é", granted: "caf\u{65}\u{301}:read", required: "caf\u{e9}:read",
                  hint: "the required scope \"caf\u{e9}:read\" is missing, but the token grants \"caf\u{65}\u{301}:read\", which looks the same "
                      + "and is written with other code points (U+0301 against U+00E9): scopes are exact, case-sensitive strings "
                      + "(RFC 6749 §3.3), without Unicode normalisation"),
        ScopeCase(name: "Kelvin sign", granted: "\u{212A}eys:read", required: "Keys:read",
                  hint: "the required scope \"Keys:read\" is missing, but the token grants \"\u{212A}eys:read\", which looks the same "
                      + "and is written with other code points (U+212A against ASCII only): scopes are exact, case-sensitive strings "
                      + "(RFC 6749 §3.3), without Unicode normalisation"),
        ScopeCase(name: "space-joined array element", granted: ["orders:read orders:write"], required: "orders:write",
                  hint: "the required scope \"orders:write\" is missing, but the token grants \"orders:read orders:write\" as one scope: "
                      + "a scope array holds one scope per element, and only a \"scope\" string is split on spaces"),
        ScopeCase(name: "nothing like it", granted: "profile email", required: "api:res07:write", hint: nil),
        ScopeCase(name: "other separators", granted: "api.res07:read", required: "api:res07:write", hint: nil),
    ]

    @Test("a missing scope the token nearly grants: still insufficient_scope, and the hint names the near one", arguments: scopeCases)
    func nearScope(_ vector: ScopeCase) throws {
        let report = try Self.report(["scp": vector.granted], requiring: [vector.required])
        #expect(report.scopes?.error?.code == .insufficientScope)
        #expect(report.hints == (vector.hint.map { [$0] } ?? []), "\(report.hints)")
    }

    @Test("several granted scopes near a missing one: the first, and how many more")
    func severalNearScopes() throws {
        let report = try Self.report(["scope": "api:res07:read api:res07:admin"], requiring: ["api:res07:read", "api:res07:write"])
        #expect(report.hints.count == 1)
        #expect(report.hints.first?.contains("grants \"api:res07:read\" (and 1 more like it), which differs only in \"read\"") == true, "\(report.hints)")
    }

    struct IDTokenCase: Sendable, CustomTestStringConvertible {
        let name: String
        let header: JSONObject?
        let claims: JSONObject
        /// Each piece of evidence the hint must give; empty when no hint is due.
        let evidence: [String]
        var testDescription: String { name }
    }

    static let idTokenCases: [IDTokenCase] = [
        IDTokenCase(name: "typ JWT with nonce and at_hash", header: ["alg": "ES256", "typ": "JWT", "kid": "hints"],
                    claims: ["sub": "alice", "nonce": "n-0S6_WzA2Mj", "at_hash": "77QmUPtjPfzWtF2AnpK9RQ"],
                    evidence: ["it carries \"nonce\" and \"at_hash\", which only ID tokens do"]),
        IDTokenCase(name: "aud equal to azp", header: nil, claims: ["sub": "alice", "aud": "s6BhdRkqt3", "azp": "s6BhdRkqt3"],
                    evidence: ["its aud \"s6BhdRkqt3\" is the client it was issued to (azp), not an API"]),
        IDTokenCase(name: "Entra ver without scp", header: nil,
                    claims: ["sub": "alice", "ver": "2.0", "tid": "9188040d-6c67-4c5b-b112-36a304b66dad", "aud": "6cb04018-a3f5-46a7-b995-940c78f5aef3"],
                    evidence: ["it has the Entra ID \"ver\": \"2.0\" but neither \"scp\" nor \"roles\", which every Entra ID access token carries"]),
        IDTokenCase(name: "Entra access token with scp", header: nil, claims: ["sub": "alice", "ver": "2.0", "scp": "User.Read"], evidence: []),
        IDTokenCase(name: "Entra application token with roles", header: nil, claims: ["sub": "app", "ver": "1.0", "roles": ["Tasks.Read"]], evidence: []),
        IDTokenCase(name: "at+jwt with a nonce", header: ["alg": "ES256", "typ": "at+jwt", "kid": "hints"], claims: ["sub": "alice", "nonce": "n"], evidence: []),
        IDTokenCase(name: "azp and aud differ", header: nil, claims: ["sub": "alice", "aud": "orders-api", "azp": "web-client"], evidence: []),
    ]

    @Test("an ID token sent where an access token belongs: the hint says so and why", arguments: idTokenCases)
    func idToken(_ vector: IDTokenCase) throws {
        let report = try Self.report(vector.claims, header: vector.header)
        let hint = report.hints.first { $0.hasPrefix("this looks like an OpenID Connect ID token, not an access token: ") }
        guard !vector.evidence.isEmpty else { #expect(hint == nil, "\(report.hints)"); return }
        let text = try #require(hint, "\(report.hints)")
        for evidence in vector.evidence { #expect(text.contains(evidence), "\(text)") }
        #expect(text.contains("an API must be sent the access_token of the same token response"), "\(text)")
    }

    @Test("claim hints hold when the key source fails, and after weak keys are checked")
    func hintsSurviveAnotherSignature() throws {
        let claims: JSONObject = ["iss": "https://idp.example.com/", "exp": .integer(Int64(Date().timeIntervalSince1970) + 600)]
        let token = try Self.signer.sign(claims: claims)
        let configuration = VerifierConfiguration(issuers: ["https://idp.example.com"])
        // No key: the signature is unverified, and the weak key below replaces its outcome.
        let report = try Verifier(keys: .empty, configuration: configuration).report(token)
        #expect(report.signature.error?.code == .keyNotFound)
        #expect(report.hints.count == 1)
        #expect(report.hints.first?.contains("only by a trailing slash") == true, "\(report.hints)")
        let unavailable = report.withSignature(.unverified(LayabAuthError(.jwksUnavailable, "connection refused")))
        #expect(unavailable.signature.error?.code == .jwksUnavailable)
        #expect(unavailable.hints == report.hints)
        let weak = try #require(WeakKey(try SigningKey.generate(.rs256, kid: "hints", rsaBits: 1024).verificationKey))
        let checked = try Verifier(keys: .empty, configuration: VerifierConfiguration(algorithms: [.rs256], issuers: ["https://idp.example.com"]))
            .report(try SigningKey.generate(.rs256, kid: "hints", rsaBits: 1024).sign(claims: claims)).checkingWeakKeys([weak])
        #expect(checked.signature.error?.code == .badSignature)
        #expect(checked.hints.contains { $0.contains("only by a trailing slash") }, "\(checked.hints)")
    }
}
