import Foundation
import LayabAuth
import LayabAuthJWKS
import TestSupport
import Testing

/// Issue 16 §1 against a real provider: glewlwyd's access tokens follow RFC 9068 (`typ: at+jwt`, `client_id`,
/// `jti`), and an ID token sent where an access token belongs is refused by the profile.
///
/// glewlwyd 2.7 gives ID tokens only through its browser login (the authorization code and implicit flows
/// after a login page); its password and client-credentials grants answer without one (its OIDC.md, "allow
/// non-OIDC"), and a session opened through its REST API is still sent to the login page. The ID token
/// here is therefore made as glewlwyd makes them (`typ: JWT`, `nonce`, `azp`, `auth_time`) and signed with
/// the instance's own default key, so that it verifies through the instance's discovery like one it issued.
@Suite("A real identity provider: glewlwyd and the RFC 9068 profile", .serialized,
       .enabled(if: Glewlwyd.unavailableReason == nil, "glewlwyd is not installed and apt could not install it (make idp)"))
struct GlewlwydProfileTests {
    @Test("glewlwyd's at+jwt access token satisfies the profile: accepted with --access-token-profile, client_id exposed")
    func accessToken() async throws {
        let idp = try await Glewlwyd.start()
        defer { idp.stop() }
        let client = try idp.client("ES256")
        let response = try await idp.clientCredentialsToken(client: client)
        let token = try #require(response.accessToken, "token endpoint answered \(response.status): \(response.body)")

        let verifier = try JWKSVerifier(issuer: idp.issuer, configuration: VerifierConfiguration().requiringAccessTokenProfile())
        let verified = try await verifier.verify(token)
        #expect(verified.clientID == client.id)

        let result = try await layabauth(["verify", "--json", "--issuer", idp.issuer, "--access-token-profile", token])
        #expect(result.status == 0, "\(result)")
        let object = jsonObject(result.output)
        #expect(object.errorCodes == [], "\(result)")
        #expect(object["accessTokenProfile"] == JSONValue.object(["satisfied": true, "reasons": []]), "\(result)")
        let text = try await layabauth(["verify", "--issuer", idp.issuer, "--access-token-profile", token])
        #expect(text.outputLines.contains("RFC 9068 access token: yes"), "\(text)")
        #expect(text.output.contains(#"ok    typ       "at+jwt""#), "\(text)")
    }

    @Test("an ID token signed by glewlwyd's key: accepted as before without the profile, refused as an ID token with it")
    func idToken() async throws {
        let idp = try await Glewlwyd.start()
        defer { idp.stop() }
        let client = try idp.client("RS256")
        let keys = try #require(try JSONValue(parsing: idp.privateJWKS)["keys"]?.arrayValue)
        let jwk = try #require(keys.first { $0["kid"]?.stringValue == client.kid }?.objectValue, "the instance's default key")
        let key = try SigningKey(jwk: jwk)
        let now = Int64(Date().timeIntervalSince1970)
        let idToken = try key.sign(claims: [
            "iss": .string(idp.issuer), "sub": "user1", "aud": .string(client.id), "azp": .string(client.id), "nonce": "n-0S6_WzA2Mj",
            "auth_time": .integer(now - 5), "iat": .integer(now), "exp": .integer(now + 600),
        ])

        let plain = try await layabauth(["verify", "--issuer", idp.issuer, idToken])
        #expect(plain.status == 0, "without the profile an ID token passes, as before: \(plain)")
        #expect(plain.outputLines.contains(#"RFC 9068 access token: no (typ is "JWT", not "at+jwt"; no client_id; no jti)"#), "\(plain)")

        let refused = try await layabauth(["verify", "--json", "--issuer", idp.issuer, "--access-token-profile", idToken])
        #expect(refused.status == 1, "\(refused)")
        let object = jsonObject(refused.output)
        #expect(object.errorCodes == ["wrong_token_type", "missing_claim", "missing_claim"], "\(object)")
        #expect(object["errors"]?.arrayValue?.first?["message"]?.stringValue
            == #"the token's typ is "JWT", expected "at+jwt": this looks like an OpenID Connect ID token, which is not an access token (RFC 9068 §2.1)"#)

        let verifier = try JWKSVerifier(issuer: idp.issuer, configuration: VerifierConfiguration().requiringAccessTokenProfile())
        do {
            _ = try await verifier.verify(idToken)
            Issue.record("the library accepted an ID token under the profile")
        } catch {
            #expect(error.code == .wrongTokenType, "\(error)")
            #expect(error.wwwAuthenticate().contains(#"error="invalid_token""#))
        }
    }
}
