import LayabAuth
import Testing

/// An introspection answer goes through the same claim rules and scope check as a JWS's claims.
@Suite("Policy: introspected claims")
struct IntrospectedClaimsPolicyTests {
    static let now = 1_800_000_000.0
    let verifier = try! Verifier(keys: .empty, configuration: VerifierConfiguration(issuers: ["https://as.test"], audiences: ["api"],
                                                                                     requiredClaims: ["sub"], clock: { now }))

    @Test("an answer that passes every rule is a verified token marked introspected, without header or key")
    func passes() throws {
        let claims = Claims(["active": true, "iss": "https://as.test", "aud": "api", "sub": "alice", "scope": "read", "exp": 1_800_000_600])
        let verified = try verifier.verify(introspected: claims, raw: "opaque", endpoint: "https://as.test/introspect", requiring: .all("read"))
        #expect(verified.introspectedBy == "https://as.test/introspect" && verified.header == nil && verified.key == nil)
        #expect(verified.scopes == ["read"] && verified.raw == "opaque")
        #expect(verified.granting(["x"]).introspectedBy == "https://as.test/introspect")
    }

    static let refusals: [(JSONObject, LayabAuthError.Code)] = [
        (["iss": "https://as.test", "aud": "api", "sub": "a", "exp": 1_700_000_000], .expired),
        (["iss": "https://evil.test", "aud": "api", "sub": "a"], .issuerMismatch),
        (["iss": "https://as.test", "aud": "web", "sub": "a"], .audienceMismatch),
        (["iss": "https://as.test", "aud": "api"], .missingClaim),
        (["iss": "https://as.test", "aud": "api", "sub": 7], .invalidClaim),
    ]

    @Test("each rule refuses an answer as it refuses a JWS", arguments: refusals)
    func refuses(_ members: JSONObject, _ code: LayabAuthError.Code) {
        let error = #expect(throws: LayabAuthError.self) { try verifier.verify(introspected: Claims(members), raw: "t", endpoint: "e") }
        #expect(error?.code == code)
        let report = verifier.report(introspected: Claims(members), raw: "t", endpoint: "e")
        #expect(report.errors.first?.code == code && report.isActive)
    }
}
