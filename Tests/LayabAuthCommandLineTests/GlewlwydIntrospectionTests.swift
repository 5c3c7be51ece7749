import Foundation
import LayabAuth
import LayabAuthJWKS
import TestSupport
import Testing

/// glewlwyd's introspection endpoint (RFC 7662), found by discovery: a token is active, then revoked (RFC 7009), then inactive.
@Suite("A real identity provider: glewlwyd introspection", .serialized,
       .enabled(if: Glewlwyd.unavailableReason == nil, "glewlwyd is not installed and apt could not install it (make idp)"))
struct GlewlwydIntrospectionTests {
    @Test("an access token is active at glewlwyd's introspection endpoint, then inactive once revoked; layabauth verify agrees")
    func activeThenRevoked() async throws {
        let idp = try await Glewlwyd.start()
        defer { idp.stop() }
        let client = try idp.client(Glewlwyd.algorithms[0])
        let response = try await idp.clientCredentialsToken(client: client)
        let token = try #require(response.accessToken, "token endpoint answered \(response.status): \(response.body)")
        // No cache, so that the revocation is seen at once.
        let verifier = try IntrospectionVerifier(endpoint: .discovery(issuer: idp.issuer), clientID: client.id,
                                                 authentication: .basic(secret: try idp.secret(of: client)),
                                                 cache: IntrospectionCache(activeLifetime: 0, inactiveLifetime: 0))
        let verified = try await verifier.verify(token, requiring: .all(Glewlwyd.scope))
        #expect(verified.isIntrospected && verified.introspectedBy?.hasPrefix(idp.issuer) == true)
        #expect(verified.claims["client_id"]?.stringValue == client.id)
        #expect(verified.scopes.contains(Glewlwyd.scope))

        let introspect = ["--introspect", "--introspect-jwts", "--issuer", idp.issuer, "--client-id", client.id, "--client-secret-file", client.secretFile]
        let before = try await layabauth(["verify", "--json", token] + introspect)
        #expect(before.status == 0, "\(before)")
        #expect(jsonObject(before.output)["introspected"]?.stringValue?.hasPrefix(idp.issuer) == true, "\(before)")

        #expect(try await idp.revoke(token, client: client) == 200)
        let error = await #expect(throws: LayabAuthError.self) { try await verifier.verify(token) }
        #expect(error?.code == .inactiveToken, "\(String(describing: error))")
        let after = try await layabauth(["verify", "--json", token] + introspect)
        #expect(after.status == 1, "\(after)")
        #expect(jsonObject(after.output)["errors"]?.arrayValue?.first?["code"] == "inactive_token", "\(after)")
    }
}
