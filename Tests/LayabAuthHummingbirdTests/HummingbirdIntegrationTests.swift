#if Hummingbird
import Foundation
import HTTPTypes
import Hummingbird
@testable import HummingbirdExample
import HummingbirdTesting
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// The example application's routes over real HTTP (Hummingbird's live test server on 127.0.0.1),
/// with tokens minted by the test issuer and keys served by a loopback JWKS server.
@Suite("Hummingbird integration over HTTP")
struct HummingbirdIntegrationTests {
    static func application(_ verifier: any TokenVerifying) -> some ApplicationProtocol {
        Application(router: buildRouter(verifier: verifier), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func get(_ client: some TestClientProtocol, _ path: String, authorization: String? = nil) async throws -> TestResponse {
        var headers = HTTPFields()
        if let authorization { headers[.authorization] = authorization }
        return try await client.execute(uri: path, method: .get, headers: headers)
    }

    static func json(_ response: TestResponse) throws -> JSONValue { try JSONParser.parse(Array(buffer: response.body)) }

    @Test("every RFC 6750 answer: 200, 401 without an error code, 400, 401 invalid_token, 403 insufficient_scope")
    func statuses() async throws {
        let issuer = try TestIssuer()
        let server = try issuer.serve()
        defer { server.stop() }
        let verifier = try JWKSVerifier(jwksURI: server.url("/jwks.json"))
        try await Self.application(verifier).test(.live) { client in
            let health = try await Self.get(client, "/health")
            #expect(health.status == .ok)

            let anonymous = try await Self.get(client, "/me")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == #"Bearer realm="hummingbird-example""#)

            let basic = try await Self.get(client, "/me", authorization: "Basic dXNlcjpwYXNz")
            #expect(basic.status == .unauthorized)
            #expect(basic.headers[.wwwAuthenticate]?.contains("error=") == false)

            let malformed = try await Self.get(client, "/me", authorization: "Bearer two tokens")
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers[.wwwAuthenticate]?.contains(#"error="invalid_request""#) == true)
            #expect(try Self.json(malformed)["error"] == "invalid_request")

            let token = try issuer.token(claims: ["sub": "alice", "scope": "read"])
            let me = try await Self.get(client, "/me", authorization: "Bearer \(token)")
            #expect(me.status == .ok)
            let body = try Self.json(me)
            #expect(body["sub"] == "alice")
            #expect(body["scopes"] == ["read"])

            let expired = try await Self.get(client, "/me", authorization: "Bearer \(try issuer.forged(.expired))")
            #expect(expired.status == .unauthorized)
            let challenge = expired.headers[.wwwAuthenticate] ?? ""
            #expect(challenge.contains(#"error="invalid_token""#))
            #expect(challenge.contains("expired"))
            let expiredBody = try Self.json(expired)
            #expect(expiredBody["error"] == "invalid_token")
            #expect(expiredBody["error_description"]?.stringValue?.contains("the token expired") == true)

            for forgery in [TestIssuer.Forgery.tamperedSignature, .tamperedPayload, .algNone, .foreignKey, .unknownKid] {
                let response = try await Self.get(client, "/me", authorization: "Bearer \(try issuer.forged(forgery))")
                #expect(response.status == .unauthorized, "\(forgery)")
                #expect(response.headers[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true, "\(forgery)")
            }

            let notAdmin = try await Self.get(client, "/admin", authorization: "Bearer \(token)")
            #expect(notAdmin.status == .forbidden)
            let scopeChallenge = notAdmin.headers[.wwwAuthenticate] ?? ""
            #expect(scopeChallenge.contains(#"error="insufficient_scope""#))
            #expect(scopeChallenge.contains(#"scope="admin""#))
            #expect(try Self.json(notAdmin)["error"] == "insufficient_scope")

            let admin = try await Self.get(client, "/admin", authorization: "Bearer \(try issuer.token(claims: ["sub": "root", "scope": "admin read"]))")
            #expect(admin.status == .ok)
        }
        // The initial fetch, and one refresh for the unknown kid.
        #expect(server.requestCount(path: "/jwks.json") == 2)
    }

    @Test("identity provider down before any key was fetched: 503, never 500, and other routes keep serving")
    func identityProviderDown() async throws {
        let issuer = try TestIssuer()
        let server = try issuer.serve()
        let url = server.url("/jwks.json")
        server.stop()
        let verifier = try JWKSVerifier(jwksURI: url, cachePolicy: KeyCachePolicy(retryAfterFailure: 45))
        try await Self.application(verifier).test(.live) { client in
            let response = try await Self.get(client, "/me", authorization: "Bearer \(try issuer.token())")
            #expect(response.status == .serviceUnavailable)
            // The key source's retry interval: the retrieval this request caused just failed.
            #expect(response.headers[.retryAfter] == "45")
            #expect(try Self.json(response)["error"] == "temporarily_unavailable")
            #expect(try await Self.get(client, "/health").status == .ok)
        }
    }

    @Test("identity provider going down mid-run: tokens with cached keys keep verifying; an unknown kid gets 503")
    func identityProviderDownMidRun() async throws {
        let issuer = try TestIssuer()
        let server = try issuer.serve()
        // Keys expire at once, so every request starts a (failing) background refresh once the server is gone.
        let verifier = try JWKSVerifier(jwksURI: server.url("/jwks.json"),
                                        cachePolicy: KeyCachePolicy(minimumLifetime: 0, maximumLifetime: 0, retryAfterFailure: 0))
        try await Self.application(verifier).test(.live) { client in
            #expect(try await Self.get(client, "/me", authorization: "Bearer \(try issuer.token(claims: ["sub": "a"]))").status == .ok)
            server.stop()
            for _ in 0..<5 {
                let response = try await Self.get(client, "/me", authorization: "Bearer \(try issuer.token(claims: ["sub": "b"]))")
                #expect(response.status == .ok)
            }
            let deadline = Date().addingTimeInterval(30)
            while await verifier.source.status().lastError == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(await verifier.source.status().lastError?.message.contains("connection refused") == true)
            #expect(try await Self.get(client, "/me", authorization: "Bearer \(try issuer.token(claims: ["sub": "c"]))").status == .ok)
            // A kid the cached set lacks cannot be looked up while the provider is down: the client is told the
            // keys are unavailable (503), not that its token is bad.
            let unknown = try await Self.get(client, "/me", authorization: "Bearer \(try issuer.forged(.unknownKid))")
            #expect(unknown.status == .serviceUnavailable)
            #expect(unknown.headers[.retryAfter] != nil)
            let body = try Self.json(unknown)
            // The cause (the provider's address, its answer) is for the log, not for the client.
            #expect(body["error_description"] == "the keys that verify tokens cannot be obtained at the moment; try again later", "\(body)")
        }
    }

    @Test("the authentication mock accepts any bearer token and yields the configured body; the header is still required")
    func mock() async throws {
        let mock = try MockVerifier(tokenBody: ["sub": "test-user", "scope": "read admin"])
        try await Self.application(mock).test(.live) { client in
            let me = try await Self.get(client, "/me", authorization: "Bearer anything-at-all")
            #expect(me.status == .ok)
            #expect(try Self.json(me)["sub"] == "test-user")
            #expect(try await Self.get(client, "/admin", authorization: "Bearer x").status == .ok)
            #expect(try await Self.get(client, "/me").status == .unauthorized)
        }
        let reader = try MockVerifier(tokenBody: ["sub": "reader", "scope": "read"])
        try await Self.application(reader).test(.live) { client in
            let response = try await Self.get(client, "/admin", authorization: "Bearer x")
            #expect(response.status == .forbidden)
        }
    }
}
#endif
