import LayabAuth
import Testing

@Suite("Binding: the DPoP scheme in Authorization and in WWW-Authenticate (RFC 9449 §7)")
struct DPoPChallengeTests {
    @Test("the DPoP scheme is read case-insensitively next to Bearer", arguments: [
        ("DPoP abc.def.ghi", TokenPresentation.Scheme.dpop), ("dpop abc.def.ghi", .dpop), ("DPOP abc.def.ghi", .dpop),
        ("Bearer abc.def.ghi", .bearer), ("bearer abc.def.ghi", .bearer),
    ])
    func scheme(_ header: String, _ scheme: TokenPresentation.Scheme) throws {
        let credential = try BearerCredential.credential(fromAuthorizationValues: [header])
        #expect(credential == AuthorizationCredential(scheme: scheme, token: "abc.def.ghi"))
    }

    @Test("the DPoP scheme is as strict as Bearer; other schemes are not ours; the Bearer-only reader ignores DPoP")
    func strictness() throws {
        #expect(try BearerCredential.credential(fromAuthorizationValues: []) == nil)
        #expect(try BearerCredential.credential(fromAuthorizationValues: ["Basic dXNlcjpwYXNz"]) == nil)
        for values in [["DPoP a", "DPoP b"], ["DPoP"], ["DPoP a b"], ["DPoP a,b"], ["DPoP ==="]] {
            #expect(throws: LayabAuthError.self) { try BearerCredential.credential(fromAuthorizationValues: values) }
        }
        #expect(try BearerCredential.token(fromAuthorizationValues: ["DPoP abc"]) == nil)
    }

    @Test("an invalid proof is answered under DPoP with algs, and Bearer offered beside it")
    func invalidProofChallenge() {
        let policy = SenderConstraintPolicy(proofAlgorithms: [.es256, .ps256])
        let presentation = TokenPresentation(scheme: .dpop, method: "GET", uri: "https://api.example.com/")
        let error = policy.answering(LayabAuthError(.invalidDPoPProof, "bad proof"), presentation: presentation)
        let challenge = error.challenge(realm: "api")
        #expect(challenge.status == 401)
        #expect(challenge.headers.map(\.name) == ["WWW-Authenticate", "WWW-Authenticate"])
        #expect(challenge.headers[0].value == "DPoP realm=\"api\", error=\"invalid_dpop_proof\", error_description=\"bad proof\", algs=\"ES256 PS256\"")
        #expect(challenge.headers[1].value == "Bearer realm=\"api\"")
        #expect(challenge.body.contains("\"error\":\"invalid_dpop_proof\""))
    }

    @Test("a request without a token is offered both schemes, neither with an error")
    func missingToken() {
        let policy = SenderConstraintPolicy(proofAlgorithms: [.es256])
        let challenge = policy.answering(LayabAuthError(.missingToken, "no token"), presentation: nil).challenge()
        #expect(challenge.headers.map(\.value) == ["Bearer", "DPoP algs=\"ES256\""])
    }

    @Test("an expired bearer token keeps its Bearer error and is offered DPoP too")
    func bearerError() {
        let policy = SenderConstraintPolicy(proofAlgorithms: [.es256])
        let presentation = TokenPresentation(scheme: .bearer, method: "GET", uri: "https://api.example.com/")
        let challenge = policy.answering(LayabAuthError(.expired, "expired"), presentation: presentation).challenge()
        #expect(challenge.headers.map(\.value) == ["Bearer error=\"invalid_token\", error_description=\"expired\"", "DPoP algs=\"ES256\""])
    }

    @Test("an error without a DPoP policy answers exactly as before")
    func unchanged() {
        let challenge = LayabAuthError(.expired, "expired").challenge()
        #expect(challenge.headers.map(\.value) == ["Bearer error=\"invalid_token\", error_description=\"expired\""])
    }
}
