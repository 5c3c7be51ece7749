import Foundation
import LayabAuth
import LayabAuthJWKS
import TestSupport
import Testing

/// Tokens from real identity provider software, not a mock: glewlwyd on 127.0.0.1 (Tests/IdP/glewlwyd.sh), each
/// test with an instance of its own.
@Suite("A real identity provider: glewlwyd", .serialized,
       .enabled(if: Glewlwyd.unavailableReason == nil, "glewlwyd is not installed and apt could not install it (make idp)"))
struct GlewlwydTests {
    @Test("a client-credentials token verifies through OIDC discovery, in the library and with layabauth verify --issuer",
          arguments: Glewlwyd.algorithms)
    func clientCredentials(algorithm: String) async throws {
        let idp = try await Glewlwyd.start()
        defer { idp.stop() }
        let client = try idp.client(algorithm)
        let response = try await idp.clientCredentialsToken(client: client)
        let token = try #require(response.accessToken, "token endpoint answered \(response.status): \(response.body)")

        // What glewlwyd puts in its tokens.
        let decoded = try DecodedToken.decode(token)
        #expect(decoded.header.algorithmName == algorithm)
        #expect(decoded.header.type == "at+jwt")
        #expect(decoded.header.kid == client.kid)
        #expect(decoded.claims?.audience == [Glewlwyd.scope], "aud is the scope list when no resource is asked for")
        #expect(decoded.claims?.subject == client.id)
        #expect(decoded.claims?["iss"]?.stringValue == idp.issuer)
        let published = try KeySet(jwksJSON: try await idp.publicJWKS())
        let key = try #require(published.keys.first { $0.kid == client.kid }, "the token's kid is in \(idp.issuer)/jwks")
        #expect(key.thumbprint != client.kid, "rnbyc's kid looks like a thumbprint but is not the RFC 7638 one")

        // The library, from the issuer alone.
        let verifier = try JWKSVerifier(issuer: idp.issuer)
        let verified = try await verifier.verify(token)
        #expect(verified.claims.subject == client.id)
        #expect(verified.header?.algorithmName == algorithm)
        #expect(verified.key?.kid == client.kid)

        // The binary, the same way.
        let result = try await layabauth(["verify", "--json", "--issuer", idp.issuer, token])
        #expect(result.status == 0, "\(result)")
        #expect(jsonObject(result.output).errorCodes == [], "\(result)")
    }

    @Test("a wrong client secret gets HTTP 403 with an empty body; the right one still gets a token")
    func wrongSecret() async throws {
        let idp = try await Glewlwyd.start()
        defer { idp.stop() }
        let client = try idp.client(Glewlwyd.algorithms[0])
        let response = try await idp.clientCredentialsToken(client: client, secret: "not-the-secret")
        #expect(response.status == 403)
        #expect(response.body.isEmpty, "body: \(response.body)")
        let good = try await idp.clientCredentialsToken(client: client)
        #expect(good.status == 200 && good.accessToken != nil, "the right secret still works: \(good.status) \(good.body)")
        print("glewlwyd answered after \(String(format: "%.2f", idp.startSeconds)) s, configured after \(String(format: "%.2f", idp.configureSeconds)) s")
    }

    /// `layabauth token` against the real provider: endpoints by discovery (whose grant list is wrong), both
    /// client authentication methods it registers, and the token piped into `verify` as the README shows.
    @Test("layabauth token fetches a client-credentials token by discovery, with basic and post authentication, and it verifies",
          arguments: ["basic", "post"])
    func tokenCommand(auth: String) async throws {
        let idp = try await Glewlwyd.start()
        defer { idp.stop() }
        let client = try idp.client("ES256")
        let fetched = try await layabauth(["token", "--issuer", idp.issuer, "--client-id", client.id, "--client-secret-file", client.secretFile,
                                           "--scope", Glewlwyd.scope, "--auth", auth])
        #expect(fetched.status == 0, "\(fetched)")
        let token = fetched.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.split(separator: ".").count == 3, "the token alone on standard output: \(fetched)")
        let secret = try String(contentsOfFile: client.secretFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!fetched.output.contains(secret) && !fetched.errorOutput.contains(secret), "the secret is never printed")
        let verified = try await layabauth(["verify", "--json", "--issuer", idp.issuer, token])
        #expect(verified.status == 0, "\(verified)")
        #expect(jsonObject(verified.output).errorCodes == [], "\(verified)")
    }

    @Test("layabauth token explains glewlwyd's empty 403 for a wrong client secret, exit 1")
    func tokenCommandWrongSecret() async throws {
        let idp = try await Glewlwyd.start()
        defer { idp.stop() }
        let client = try idp.client("RS256")
        let directory = try TemporaryDirectory()
        let wrong = try directory.write("wrong-secret", "not-the-secret\n")
        let result = try await layabauth(["token", "--token-url", idp.tokenEndpoint, "--client-id", client.id, "--client-secret-file", wrong])
        #expect(result.status == 1, "\(result)")
        #expect(result.output.isEmpty, "\(result)")
        #expect(result.errorOutput.contains("HTTP 403 with an empty body"), "\(result)")
        #expect(result.errorOutput.contains("wrong client secret"), "\(result)")
        #expect(!result.errorOutput.contains("not-the-secret"), "\(result)")
    }

    /// A client that trusts `grant_types_supported` would think glewlwyd cannot do client credentials.
    @Test("the discovery document lists client_credentials under response_types_supported, not grant_types_supported")
    func discoveryGrantTypes() async throws {
        let idp = try await Glewlwyd.start()
        defer { idp.stop() }
        let answer = try await idp.get(idp.issuer + "/.well-known/openid-configuration")
        #expect(answer.status == 200)
        let document = jsonObject(answer.body)
        #expect(document["issuer"]?.stringValue == idp.issuer)
        #expect(document["token_endpoint"]?.stringValue == idp.tokenEndpoint)
        let grants = document["grant_types_supported"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let responses = document["response_types_supported"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(!grants.contains("client_credentials"), "grant_types_supported: \(grants)")
        #expect(responses.contains("client_credentials"), "response_types_supported: \(responses)")
    }
}
