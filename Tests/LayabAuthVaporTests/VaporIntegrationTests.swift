import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
@testable import VaporExample
import Vapor
import VaporTesting
import Testing

/// The example application's routes over real HTTP (Vapor's running test server on 127.0.0.1), with
/// tokens minted by the test issuer and keys served by a loopback JWKS server.
@Suite("Vapor integration over HTTP", .serialized)
struct VaporIntegrationTests {
    static func withRunningApp(_ verifier: any TokenVerifying, _ body: (any TestingApplicationTester) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        configureRoutes(app, verifier: verifier)
        do {
            let tester = try app.testing(method: .running(hostname: "127.0.0.1", port: Int.random(in: 20_000...60_000)))
            try await body(tester)
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    static func headers(_ authorization: String?) -> HTTPHeaders {
        var headers = HTTPHeaders()
        if let authorization { headers.add(name: .authorization, value: authorization) }
        return headers
    }

    /// The response body as JSON (null when it is not JSON, which the expectations then reject).
    static func json(_ response: TestingHTTPResponse) -> JSONValue { (try? JSONParser.parse(Array(buffer: response.body))) ?? .null }

    @Test("every RFC 6750 answer: 200, 401 without an error code, 400, 401 invalid_token, 403 insufficient_scope")
    func statuses() async throws {
        let issuer = try TestIssuer()
        let server = try issuer.serve()
        defer { server.stop() }
        let verifier = try JWKSVerifier(jwksURI: server.url("/jwks.json"))
        let token = try issuer.token(claims: ["sub": "alice", "scope": "read"])
        try await Self.withRunningApp(verifier) { app in
            try await app.test(.GET, "health") { #expect($0.status == .ok) }
            try await app.test(.GET, "me") { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers.first(name: .wwwAuthenticate) == #"Bearer realm="vapor-example""#)
            }
            try await app.test(.GET, "me", headers: Self.headers("Bearer two tokens")) { response in
                #expect(response.status == .badRequest)
                #expect(Self.json(response)["error"] == "invalid_request")
            }
            try await app.test(.GET, "me", headers: Self.headers("Bearer \(token)")) { response in
                #expect(response.status == .ok)
                #expect(Self.json(response)["sub"] == "alice")
                #expect(Self.json(response)["scopes"] == ["read"])
            }
            try await app.test(.GET, "me", headers: Self.headers("Bearer \(try issuer.forged(.expired))")) { response in
                #expect(response.status == .unauthorized)
                let challenge = response.headers.first(name: .wwwAuthenticate) ?? ""
                #expect(challenge.contains(#"error="invalid_token""#))
                #expect(Self.json(response)["error_description"]?.stringValue?.contains("the token expired") == true)
            }
            for forgery in [TestIssuer.Forgery.tamperedSignature, .tamperedPayload, .algNone, .foreignKey, .unknownKid] {
                try await app.test(.GET, "me", headers: Self.headers("Bearer \(try issuer.forged(forgery))")) { response in
                    #expect(response.status == .unauthorized, "\(forgery)")
                }
            }
            try await app.test(.GET, "admin", headers: Self.headers("Bearer \(token)")) { response in
                #expect(response.status == .forbidden)
                let challenge = response.headers.first(name: .wwwAuthenticate) ?? ""
                #expect(challenge.contains(#"error="insufficient_scope""#))
                #expect(challenge.contains(#"scope="admin""#))
            }
            let admin = try issuer.token(claims: ["sub": "root", "scope": "admin"])
            try await app.test(.GET, "admin", headers: Self.headers("Bearer \(admin)")) { #expect($0.status == .ok) }
        }
    }

    @Test("identity provider down before any key was fetched: 503 and other routes keep serving")
    func identityProviderDown() async throws {
        let issuer = try TestIssuer()
        let server = try issuer.serve()
        let url = server.url("/jwks.json")
        server.stop()
        let verifier = try JWKSVerifier(jwksURI: url, cachePolicy: KeyCachePolicy(retryAfterFailure: 0))
        try await Self.withRunningApp(verifier) { app in
            try await app.test(.GET, "me", headers: Self.headers("Bearer \(try issuer.token())")) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(Self.json(response)["error"] == "temporarily_unavailable")
            }
            try await app.test(.GET, "health") { #expect($0.status == .ok) }
        }
    }

    @Test("the authentication mock plugs in without code changes in the app")
    func mock() async throws {
        let mock = try MockVerifier(tokenBody: ["sub": "test-user", "scope": "admin"])
        try await Self.withRunningApp(mock) { app in
            try await app.test(.GET, "admin", headers: Self.headers("Bearer whatever")) { response in
                #expect(response.status == .ok)
                #expect(Self.json(response)["sub"] == "test-user")
            }
            try await app.test(.GET, "me") { #expect($0.status == .unauthorized) }
        }
    }
}
