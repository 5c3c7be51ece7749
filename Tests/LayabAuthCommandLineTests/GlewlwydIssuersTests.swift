import Foundation
import LayabAuth
import LayabAuthJWKS
import TestSupport
import Testing

/// Two real glewlwyd instances as two issuers (issue 16 §3): each one's tokens verify with the keys
/// discovered from it, in the library and with `layabauth verify --trust-issuer`.
@Suite("Two glewlwyd instances as two trusted issuers", .serialized,
       .enabled(if: Glewlwyd.unavailableReason == nil, "glewlwyd is not installed and apt could not install it (make idp)"))
struct GlewlwydIssuersTests {
    @Test("each instance's token verifies with its own keys; one signed by A but claiming B, or from an untrusted instance, is refused")
    func twoInstances() async throws {
        let (a, b) = try await Glewlwyd.startTwo()
        defer {
            a.stop()
            b.stop()
        }
        #expect(a.issuer != b.issuer)
        let tokenA = try await a.accessToken()
        let tokenB = try await b.accessToken("ES256")

        // The library.
        let configuration = VerifierConfiguration(audiences: [Glewlwyd.scope])
        let verifier = try MultiIssuerVerifier([.issuer(a.issuer, configuration: configuration), .issuer(b.issuer, configuration: configuration)])
        #expect(try await verifier.verify(tokenA).claims.issuer == a.issuer)
        #expect(try await verifier.verify(tokenB).claims.issuer == b.issuer)

        // A token signed with A's key (under A's kid) that claims B's issuer: B's keys do not verify it.
        let decodedA = try DecodedToken.decode(tokenA)
        var claims = try #require(decodedA.claims).members
        claims["iss"] = .string(b.issuer)
        let privateKeys = try #require(try JSONParser.parse(a.privateJWKS)["keys"]?.arrayValue)
        let keyA = try #require(privateKeys.compactMap(\.objectValue).first { $0["kid"]?.stringValue == decodedA.header.kid })
        let forged = try SigningKey(jwk: keyA).sign(claims: claims, extraHeader: ["typ": "at+jwt"])
        let forgedError = await #expect(throws: LayabAuthError.self) { try await verifier.verify(forged) }
        #expect(forgedError?.code == .keyNotFound || forgedError?.code == .badSignature, "\(String(describing: forgedError))")

        // Trusting A alone, B's token is refused by its issuer.
        let onlyA = try MultiIssuerVerifier([.issuer(a.issuer, configuration: configuration)])
        let untrusted = await #expect(throws: LayabAuthError.self) { try await onlyA.verify(tokenB) }
        #expect(untrusted?.code == .issuerMismatch)

        // The binary.
        let result = try await layabauth(["verify", "--json", tokenA, tokenB, "--trust-issuer", a.issuer, "--trust-issuer", b.issuer,
                                          "--audience", Glewlwyd.scope])
        #expect(result.status == 0, "\(result)")
        let refused = try await layabauth(["verify", tokenB, forged, "--trust-issuer", a.issuer])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.output.contains("issuer_mismatch"), "\(refused)")
    }
}
