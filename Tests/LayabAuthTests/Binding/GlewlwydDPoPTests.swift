import Foundation
import LayabAuth
import LayabAuthTesting
import TestSupport
import Testing

/// A real identity provider binds a token to our key (RFC 9449 §5); our resource-server rules accept it with our
/// proofs and refuse it as Bearer or with another key.
@Suite("A real identity provider: glewlwyd DPoP-bound tokens", .serialized,
       .enabled(if: Glewlwyd.unavailableReason == nil, "glewlwyd is not installed and apt could not install it (make idp)"))
struct GlewlwydDPoPTests {
    @Test("glewlwyd binds a client-credentials token to the proof's key; the binding rules accept it only with that key, as DPoP")
    func boundToken() async throws {
        let idp = try await Glewlwyd.start()
        defer { idp.stop() }
        let client = try idp.client(Glewlwyd.algorithms[0])
        let key = try TestIssuer.dpopKey()
        let tokenProof = try TestIssuer.dpopProof(method: "POST", url: idp.tokenEndpoint, key: key)
        let response = try await idp.dpopClientCredentialsToken(client: client, proof: tokenProof)
        let token = try #require(response.accessToken, "token endpoint answered \(response.status): \(response.body)")
        #expect(response.body.contains("\"token_type\":\"DPoP\""), "\(response.body)")

        let verifier = try Verifier(keys: KeySet(jwksJSON: try await idp.publicJWKS()), configuration: VerifierConfiguration(issuers: [idp.issuer]))
        let verified = try verifier.verify(token)
        #expect(verified.claims["cnf"]?.objectValue?["jkt"]?.stringValue == key.verificationKey.thumbprint)

        let url = "https://api.example.com/orders"
        let policy = SenderConstraintPolicy()
        func presentation(_ scheme: TokenPresentation.Scheme, _ proof: String) -> TokenPresentation {
            TokenPresentation(scheme: scheme, dpopProofs: [proof], method: "GET", uri: url)
        }
        let bound = try await policy.verifyBinding(of: verified, presentedAs: presentation(.dpop, TestIssuer.dpopProof(method: "GET", url: url, accessToken: token, key: key)))
        #expect(bound.binding == .dpop(jkt: key.verificationKey.thumbprint))
        let thief = try TestIssuer.dpopKey()
        let stolen = await #expect(throws: LayabAuthError.self) {
            try await policy.verifyBinding(of: verified, presentedAs: presentation(.dpop, TestIssuer.dpopProof(method: "GET", url: url, accessToken: token, key: thief)))
        }
        #expect(stolen?.code == .bindingMismatch)
        let downgraded = await #expect(throws: LayabAuthError.self) {
            try await policy.verifyBinding(of: verified, presentedAs: presentation(.bearer, TestIssuer.dpopProof(method: "GET", url: url, accessToken: token, key: key)))
        }
        #expect(downgraded?.code == .bindingMismatch)
    }
}
