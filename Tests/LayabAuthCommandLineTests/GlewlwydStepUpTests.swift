import Foundation
import LayabAuth
import LayabAuthJWKS
import TestSupport
import Testing

/// Step-up requirements (RFC 9470) against tokens of a real provider: glewlwyd's client-credentials tokens
/// carry no user authentication (no `acr`, no `auth_time`), so a route that requires one refuses them with
/// the challenge that tells the client how to step up.
@Suite("Step-up against a real identity provider: glewlwyd", .serialized,
       .enabled(if: Glewlwyd.unavailableReason == nil, "glewlwyd is not installed and apt could not install it (make idp)"))
struct GlewlwydStepUpTests {
    @Test("a client-credentials token has no user authentication: insufficient_user_authentication, in the library and with layabauth verify")
    func machineTokenRefused() async throws {
        let idp = try await Glewlwyd.start()
        defer { idp.stop() }
        let client = try idp.client(Glewlwyd.algorithms[0])
        let response = try await idp.clientCredentialsToken(client: client)
        let token = try #require(response.accessToken, "token endpoint answered \(response.status): \(response.body)")

        let verifier = try JWKSVerifier(issuer: idp.issuer)
        let verified = try await verifier.verify(token)
        #expect(verified.claims["acr"] == nil && verified.claims["auth_time"] == nil, "glewlwyd's machine tokens carry no user login")
        let requirement = AuthenticationRequirement(acceptedACRs: ["urn:example:mfa"], maxAge: 600)
        var caught: LayabAuthError?
        do { try verified.check(requirement, configuration: verifier.configuration) } catch { caught = error }
        let error = try #require(caught)
        #expect(error.code == .insufficientUserAuthentication)
        #expect(error.challenge(realm: "api").status == 401)
        #expect(error.wwwAuthenticate().hasSuffix("acr_values=\"urn:example:mfa\", max_age=\"600\""), "\(error.wwwAuthenticate())")

        let result = try await layabauth(["verify", "--json", "--issuer", idp.issuer, "--acr", "urn:example:mfa", "--max-age", "10m", token])
        #expect(result.status == 1, "\(result)")
        #expect(jsonObject(result.output).errorCodes == ["insufficient_user_authentication"], "\(result)")
        // The same token without the requirement is accepted.
        let plain = try await layabauth(["verify", "--json", "--issuer", idp.issuer, token])
        #expect(plain.status == 0, "\(plain)")
    }
}
