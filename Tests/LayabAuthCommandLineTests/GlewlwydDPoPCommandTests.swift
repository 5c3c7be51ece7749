import Foundation
import LayabAuth
import TestSupport
import Testing

/// `layabauth dpop` against a real identity provider: glewlwyd accepts the tool's proof at its token endpoint and
/// binds the token to the tool's key; `verify --dpop` accepts the token with the next proof and names the key
/// of a thief's.
@Suite("layabauth dpop against a real identity provider: glewlwyd", .serialized,
       .enabled(if: Glewlwyd.unavailableReason == nil, "glewlwyd is not installed and apt could not install it (make idp)"))
struct GlewlwydDPoPCommandTests {
    @Test("glewlwyd binds its token to the key of layabauth dpop; verify --dpop accepts it with that key only")
    func boundByTheTool() async throws {
        let idp = try await Glewlwyd.start()
        defer { idp.stop() }
        let directory = try TemporaryDirectory()
        let key = directory.path("dpop.pem"), jwk = directory.path("dpop.jwk")
        let tokenProof = try await layabauth(["dpop", "--generate", "ES256", "--save-key", key, "--public-jwk", jwk, "--method", "POST", "--url", idp.tokenEndpoint])
        #expect(tokenProof.status == 0, "\(tokenProof)")
        let response = try await idp.dpopClientCredentialsToken(client: try idp.client(Glewlwyd.algorithms[0]), proof: try #require(tokenProof.outputLines.first))
        let token = try #require(response.accessToken, "token endpoint answered \(response.status): \(response.body)")

        let url = "https://api.example.com/orders"
        let proof = try await layabauth(["dpop", "--key", key, "--method", "GET", "--url", url, "--access-token", token])
        let accepted = try await layabauth(["verify", "--json", "--issuer", idp.issuer, token, "--dpop", try #require(proof.outputLines.first), "--htm", "GET", "--htu", url])
        #expect(accepted.status == 0, "\(accepted)")
        let binding = jsonObject(accepted.output)["binding"]
        #expect(binding?["accepted"] == true, "\(accepted)")
        #expect(binding?["cnf"]?["jkt"] == .string(try ConfirmationThumbprint.of(jwkFile: jwk)), "\(accepted)")

        let thief = try await layabauth(["dpop", "--generate", "ES256", "--method", "GET", "--url", url, "--access-token", token])
        let refused = try await layabauth(["verify", "--issuer", idp.issuer, token, "--dpop", try #require(thief.outputLines.first), "--htm", "GET", "--htu", url])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.outputLines.contains { $0.contains("FAIL") && $0.contains("cnf.jkt") && $0.contains("binding_mismatch") }, "\(refused)")
    }
}
