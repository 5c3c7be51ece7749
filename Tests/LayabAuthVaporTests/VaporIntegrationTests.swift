#if Vapor
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
    /// The example application's routes, served on a free port of 127.0.0.1.
    static func withRunningApp(_ verifier: any TokenVerifying, _ body: (any TestingApplicationTester) async throws -> Void) async throws {
        try await withRunningApp(configure: { configureRoutes($0, verifier: verifier) }, body)
    }

    /// Routes set up by `configure`, served on a free port of 127.0.0.1.
    static func withRunningApp(configure: (Application) -> Void, _ body: (any TestingApplicationTester) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        configure(app)
        do {
            let tester = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
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
            // Another scheme is not a bearer token: the same challenge as no credentials, without an error code.
            try await app.test(.GET, "me", headers: Self.headers("Basic dXNlcjpwYXNz")) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers.first(name: .wwwAuthenticate) == #"Bearer realm="vapor-example""#)
                #expect(response.headers.first(name: .wwwAuthenticate)?.contains("error=") == false)
            }
            try await app.test(.GET, "me", headers: Self.headers("Bearer two tokens")) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers.first(name: .wwwAuthenticate)?.contains(#"error="invalid_request""#) == true)
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
                    let challenge = response.headers.first(name: .wwwAuthenticate) ?? ""
                    #expect(challenge.hasPrefix(#"Bearer realm="vapor-example", error="invalid_token""#), "\(forgery): \(challenge)")
                    #expect(Self.json(response)["error"] == "invalid_token", "\(forgery)")
                }
            }
            try await app.test(.GET, "admin", headers: Self.headers("Bearer \(token)")) { response in
                #expect(response.status == .forbidden)
                let challenge = response.headers.first(name: .wwwAuthenticate) ?? ""
                #expect(challenge.contains(#"error="insufficient_scope""#))
                #expect(challenge.contains(#"scope="admin""#))
                #expect(response.headers.contentType == .json)
                #expect(Self.json(response)["error"] == "insufficient_scope")
                #expect(Self.json(response)["error_description"]?.stringValue?.contains("missing scope [admin]") == true)
            }
            let admin = try issuer.token(claims: ["sub": "root", "scope": "admin"])
            try await app.test(.GET, "admin", headers: Self.headers("Bearer \(admin)")) { #expect($0.status == .ok) }
        }
        // The initial fetch, and one refresh for the unknown kid.
        #expect(server.requestCount(path: "/jwks.json") == 2)
    }

    @Test("identity provider down before any key was fetched: 503 and other routes keep serving")
    func identityProviderDown() async throws {
        let issuer = try TestIssuer()
        let server = try issuer.serve()
        let url = server.url("/jwks.json")
        server.stop()
        let verifier = try JWKSVerifier(jwksURI: url, cachePolicy: KeyCachePolicy(retryAfterFailure: 45))
        try await Self.withRunningApp(verifier) { app in
            try await app.test(.GET, "me", headers: Self.headers("Bearer \(try issuer.token())")) { response in
                #expect(response.status == .serviceUnavailable)
                // The key source's retry interval: the retrieval this request caused just failed.
                #expect(response.headers.first(name: "Retry-After") == "45")
                #expect(Self.json(response)["error"] == "temporarily_unavailable")
            }
            try await app.test(.GET, "health") { #expect($0.status == .ok) }
        }
    }

    @Test("identity provider going down mid-run: tokens with cached keys keep verifying; an unknown kid gets 503")
    func identityProviderDownMidRun() async throws {
        let issuer = try TestIssuer()
        let server = try issuer.serve()
        // Keys expire at once, so every request starts a (failing) background refresh once the server is gone.
        let verifier = try JWKSVerifier(jwksURI: server.url("/jwks.json"),
                                        cachePolicy: KeyCachePolicy(minimumLifetime: 0, maximumLifetime: 0, retryAfterFailure: 0))
        try await Self.withRunningApp(verifier) { app in
            try await app.test(.GET, "me", headers: Self.headers("Bearer \(try issuer.token(claims: ["sub": "a"]))")) { #expect($0.status == .ok) }
            server.stop()
            for _ in 0..<5 {
                try await app.test(.GET, "me", headers: Self.headers("Bearer \(try issuer.token(claims: ["sub": "b"]))")) { response in
                    #expect(response.status == .ok)
                    #expect(Self.json(response)["sub"] == "b")
                }
            }
            let deadline = Date().addingTimeInterval(30)
            while await verifier.source.status().lastError == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(await verifier.source.status().lastError?.message.contains("connection refused") == true)
            try await app.test(.GET, "me", headers: Self.headers("Bearer \(try issuer.token(claims: ["sub": "c"]))")) { #expect($0.status == .ok) }
            // A kid the cached set lacks cannot be looked up while the provider is down: the client is told the
            // keys are unavailable (503), not that its token is bad.
            try await app.test(.GET, "me", headers: Self.headers("Bearer \(try issuer.forged(.unknownKid))")) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers.first(name: .retryAfter) != nil)
                // The cause (the provider's address, its answer) is for the log, not for the client.
                #expect(Self.json(response)["error_description"] == "the keys that verify tokens cannot be obtained at the moment; try again later")
            }
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
        let reader = try MockVerifier(tokenBody: ["sub": "reader", "scope": "read"])
        try await Self.withRunningApp(reader) { app in
            try await app.test(.GET, "me", headers: Self.headers("Bearer x")) { #expect(Self.json($0)["sub"] == "reader") }
            try await app.test(.GET, "admin", headers: Self.headers("Bearer x")) { response in
                #expect(response.status == .forbidden)
                #expect(response.headers.first(name: .wwwAuthenticate)?.contains(#"scope="admin""#) == true)
                #expect(Self.json(response)["error"] == "insufficient_scope")
            }
        }
    }
}
#endif
