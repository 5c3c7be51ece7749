import LayabAuth
import LayabAuthJWKS
import LayabInspector
import Testing

/// Several trusted issuers in the model: the token's `iss` (and `tid`) selects whose keys check it, exactly as
/// `MultiIssuerVerifier` selects, and an untrusted `iss` asks for no key at all.
@Suite("Trusted issuers in the inspector's model")
struct TrustedIssuersTests {
    static let issuerA = "https://a.test"
    static let issuerB = "https://b.test"
    static let template = "https://login.test/{tenantid}/v2.0"

    let keyA: SigningKey
    let keyB: SigningKey
    let keyT: SigningKey

    init() throws {
        keyA = try SigningKey.generate(.es256, kid: "k1")
        keyB = try SigningKey.generate(.es256, kid: "k1")
        keyT = try SigningKey.generate(.es256, kid: "common")
    }

    func token(_ key: SigningKey, iss: String, extra: JSONObject = [:]) throws -> String {
        var claims: JSONObject = ["iss": .string(iss), "sub": "bob", "exp": .integer(Int64(fixedNow + 3600))]
        for member in extra { claims[member.name] = member.value }
        return try key.sign(claims: claims)
    }

    /// A state trusting A, B and the template, none of whose keys are loaded yet.
    func state(tenants: [String]? = nil) throws -> InspectorState {
        var state = InspectorState()
        state.trustedIssuers = try MultiIssuerVerifier([
            TrustedIssuer(match: .exact(Self.issuerA), source: StaticKeySource(KeySet(keys: [keyA.verificationKey]))),
            TrustedIssuer(match: .exact(Self.issuerB), source: StaticKeySource(KeySet(keys: [keyB.verificationKey]))),
            TrustedIssuer(match: .template(try IssuerTemplate(Self.template), tenants: tenants),
                          source: StaticKeySource(KeySet(keys: [keyT.verificationKey]))),
        ])
        state.keySourceDescription = InspectorState.noIssuerDescription
        return state
    }

    /// Follows the token's issuer and delivers that issuer's keys, as the runtime does.
    func follow(_ state: inout InspectorState, keys: SigningKey?) -> InspectorState.Effect? {
        let effect = state.followTrustedIssuer()
        if let keys, case .useTrustedIssuer(_?) = effect { state.keysUpdated(.success(KeySet(keys: [keys.verificationKey])), status: nil) }
        return effect
    }

    @Test("a token of A is checked with A's keys, then a token of B with B's: each selects its issuer and is VALID")
    func switchesIssuer() throws {
        var state = try state()
        state.tokenText = try token(keyA, iss: Self.issuerA)
        #expect(state.followTrustedIssuer() == .useTrustedIssuer(0))
        #expect(state.keySourceDescription == "trusted issuer https://a.test")
        // Until A's keys come, the token is checked against none.
        #expect(state.report(now: fixedNow)?.signature.word == "UNVERIFIED")
        state.keysUpdated(.success(KeySet(keys: [keyA.verificationKey])), status: nil)
        let a = try #require(state.report(now: fixedNow))
        #expect(a.isValid, "\(a.errors)")
        #expect(a.hints.contains("issuer: trusted issuer \"https://a.test\" selected its keys"))
        #expect(state.followTrustedIssuer() == nil, "the same issuer again: its keys stay")

        state.tokenText = try token(keyB, iss: Self.issuerB)
        #expect(state.report(now: fixedNow)?.signature.word == "UNVERIFIED", "A's keys never check B's token")
        #expect(state.unknownKid == nil, "no kid is looked up in A's keys for B's token")
        #expect(follow(&state, keys: keyB) == .useTrustedIssuer(1))
        #expect(state.keySourceDescription == "trusted issuer https://b.test")
        let b = try #require(state.report(now: fixedNow))
        #expect(b.isValid, "\(b.errors)")
        #expect(b.hints.contains("issuer: trusted issuer \"https://b.test\" selected its keys"))
    }

    @Test("a token of A claiming B's iss is checked with B's keys and refused")
    func lyingIssuer() throws {
        var state = try state()
        state.tokenText = try token(keyA, iss: Self.issuerB)
        #expect(follow(&state, keys: keyB) == .useTrustedIssuer(1))
        let report = try #require(state.report(now: fixedNow))
        #expect(report.signature.word == "INVALID")
        #expect(!report.isValid)
    }

    @Test("an untrusted iss selects no issuer: refused, no key source used, no kid looked up, the keys shown go")
    func untrusted() throws {
        var state = try state()
        state.tokenText = try token(keyA, iss: Self.issuerA)
        _ = follow(&state, keys: keyA)
        state.tokenText = try token(keyA, iss: "https://evil.test")
        #expect(state.followTrustedIssuer() == .useTrustedIssuer(nil))
        #expect(state.keys.isEmpty)
        #expect(state.keySourceDescription == InspectorState.noIssuerDescription)
        #expect(state.unknownKid == nil)
        #expect(state.followTrustedIssuer() == nil)
        let report = try #require(state.report(now: fixedNow))
        #expect(!report.isValid)
        #expect(report.signature.error?.code == .issuerMismatch)
        #expect(report.hints.contains { $0.contains("no trusted issuer selected, no key source contacted") && $0.contains("is not a trusted issuer") })

        // Without any keys loaded before, an untrusted token changes nothing and asks for nothing.
        var fresh = try self.state()
        fresh.tokenText = try token(keyA, iss: "https://evil.test")
        #expect(fresh.followTrustedIssuer() == nil)
    }

    @Test("a template's tenant: tid binds it, a what-if change of tid is refused with the tenant's keys loaded")
    func template() throws {
        var state = try state(tenants: ["t-1"])
        state.tokenText = try token(keyT, iss: "https://login.test/t-1/v2.0", extra: ["tid": "t-1"])
        #expect(follow(&state, keys: keyT) == .useTrustedIssuer(2))
        let good = try #require(state.report(now: fixedNow))
        #expect(good.isValid, "\(good.errors)")
        #expect(good.hints.contains("issuer: tenant \"t-1\" of trusted issuer \"https://login.test/t-1/v2.0\" selected its keys"))

        // The same key signs a token whose tid names another tenant: refused before the keys are consulted.
        state.tokenText = try token(keyT, iss: "https://login.test/t-1/v2.0", extra: ["tid": "t-2"])
        let mismatch = try #require(state.report(now: fixedNow))
        #expect(!mismatch.isValid)
        #expect(mismatch.signature.error?.message.contains("tid \"t-2\" differs from the tenant \"t-1\"") == true)
        #expect(state.followTrustedIssuer() == .useTrustedIssuer(nil))

        state.tokenText = try token(keyT, iss: "https://login.test/t-9/v2.0", extra: ["tid": "t-9"])
        #expect(state.report(now: fixedNow)?.signature.error?.message.contains("is not one of the tenants accepted") == true)
    }

    @Test("a JWKS URI given in the inspector replaces the trusted issuers")
    func leaving() throws {
        var state = try state()
        state.tokenText = try token(keyA, iss: "https://evil.test")
        state.leaveTrustedIssuers()
        #expect(state.issuerSelection == nil)
        #expect(state.keysServeToken)
    }
}
