#if Vapor
import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import LayabAuthVapor
import Testing
import Vapor
import VaporTesting

/// An application's own user type built by `createUser(token, tokenBody)` with scopes from
/// `scopes(token, tokenBody)`, and `req.requireScopes` inside handlers with no error middleware added,
/// over Vapor's running test server on 127.0.0.1.
@Suite("Vapor custom users and scope checks in handlers", .serialized)
struct VaporUserTests {
    /// An application's user: nothing of LayabAuth in it but the conformance Vapor asks of it.
    struct User: Authenticatable {
        let id: String
        let token: String
    }

    struct UserBody: Content {
        let id: String
        let token: String
        let scopes: [String]
    }

    /// Roles become scopes `role:<name>`; the standard `scope` claim is ignored on purpose, so a test can
    /// tell which of the two the guards checked.
    @Sendable static func roles(_ token: String, _ tokenBody: Claims) -> [String] {
        ScopeExtractor.strings(tokenBody["roles"]).map { "role:" + $0 }
    }

    static func userRoutes(_ app: Application, verifier: any TokenVerifying) {
        let api = app.grouped(
            BearerTokenAuthenticator(
                verifier: verifier, realm: "users",
                createUser: { token, tokenBody in User(id: tokenBody.subject ?? "", token: token) },
                scopes: roles),
            RequireBearerToken())
        api.get("me") { req -> UserBody in
            let user = try req.auth.require(User.self)
            return UserBody(id: user.id, token: user.token, scopes: try req.auth.require(VerifiedToken.self).scopes)
        }
        // A guard's own realm wins; the guards and checks that name none take the authenticator's.
        api.grouped(RequireScopes(.all("role:admin"), realm: "admins")).get("admin") { req in try req.auth.require(User.self).id }
        api.get("reports") { req -> String in
            try req.requireScopes(.any("role:auditor", "role:admin"))
            return try req.auth.require(User.self).id
        }
    }

    /// The plain set-up (the verified token, no user) with a scope check inside the handler and no
    /// `BearerErrorMiddleware`. The check names no realm: the authenticator's applies.
    static func tokenRoutes(_ app: Application, verifier: any TokenVerifying) {
        let routes = app.grouped(BearerTokenAuthenticator(verifier: verifier, realm: "reports"))
        routes.get("reports") { req -> String in
            try req.requireScopes(.all("reports:read", "reports:export")).claims.subject ?? ""
        }
        routes.get("archive") { _ -> String in
            // An application's own refusal, with no realm either.
            throw BearerAuthenticationError(LayabAuthError(.insufficientScope, "the archive is closed", requiredScopes: ["archive"]), realm: nil)
        }
    }

    static func headers(token: String?) -> HTTPHeaders {
        var headers = HTTPHeaders()
        if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
        return headers
    }

    /// The response body as JSON (null when it is not JSON, which the expectations then reject).
    static func json(_ response: TestingHTTPResponse) -> JSONValue { (try? JSONParser.parse(Array(buffer: response.body))) ?? .null }
    static func text(_ response: TestingHTTPResponse) -> String { String(buffer: response.body) }

    /// A 403 as RFC 6750 §3.1 describes it: the challenge names the error and the required scopes, the body
    /// says which are missing.
    static func expectInsufficientScope(_ response: TestingHTTPResponse, scope: String, missing: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == .forbidden, sourceLocation: sourceLocation)
        let challenge = response.headers.first(name: .wwwAuthenticate) ?? ""
        #expect(challenge.hasPrefix("Bearer "), sourceLocation: sourceLocation)
        #expect(challenge.contains(#"error="insufficient_scope""#), "\(challenge)", sourceLocation: sourceLocation)
        #expect(challenge.contains(#"scope="\#(scope)""#), "\(challenge)", sourceLocation: sourceLocation)
        #expect(response.headers.contentType == .json, sourceLocation: sourceLocation)
        let body = json(response)
        #expect(body["error"] == "insufficient_scope", "\(text(response))", sourceLocation: sourceLocation)
        #expect(body["error_description"]?.stringValue?.contains(missing) == true, "\(text(response))", sourceLocation: sourceLocation)
    }

    @Test("createUser(token, tokenBody) logs in the user; RequireScopes and req.requireScopes check what scopes(token, tokenBody) grants")
    func customUser() async throws {
        let issuer = try TestIssuer()
        let server = try issuer.serve()
        defer { server.stop() }
        let verifier = try JWKSVerifier(jwksURI: server.url("/jwks.json"))
        // Each token's standard scope claim would pass the guards it fails: only the roles count.
        let admin = try issuer.token(claims: ["sub": "root", "roles": ["admin"], "scope": "role:auditor"])
        let auditor = try issuer.token(claims: ["sub": "carol", "roles": ["auditor"], "scope": "role:admin"])
        let nobody = try issuer.token(claims: ["sub": "dave", "scope": "role:admin role:auditor"])
        try await VaporIntegrationTests.withRunningApp(configure: { Self.userRoutes($0, verifier: verifier) }) { app in
            try await app.test(.GET, "me", headers: Self.headers(token: admin)) { response in
                #expect(response.status == .ok)
                let body = Self.json(response)
                #expect(body["id"] == "root")
                #expect(body["token"] == .string(admin))
                #expect(body["scopes"] == ["role:admin"])
            }
            try await app.test(.GET, "admin", headers: Self.headers(token: admin)) { response in
                #expect(response.status == .ok)
                #expect(Self.text(response) == "root")
            }
            try await app.test(.GET, "admin", headers: Self.headers(token: auditor)) { response in
                Self.expectInsufficientScope(response, scope: "role:admin", missing: "[role:admin]")
                #expect(response.headers.first(name: .wwwAuthenticate)?.hasPrefix(#"Bearer realm="admins", "#) == true)
            }
            try await app.test(.GET, "reports", headers: Self.headers(token: auditor)) { response in
                #expect(response.status == .ok)
                #expect(Self.text(response) == "carol")
            }
            try await app.test(.GET, "reports", headers: Self.headers(token: admin)) { #expect($0.status == .ok) }
            try await app.test(.GET, "reports", headers: Self.headers(token: nobody)) { response in
                Self.expectInsufficientScope(response, scope: "role:auditor role:admin", missing: "none of the accepted scopes [role:auditor, role:admin]")
                #expect(response.headers.first(name: .wwwAuthenticate)?.hasPrefix(#"Bearer realm="users", "#) == true)
            }
            try await app.test(.GET, "me") { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers.first(name: .wwwAuthenticate) == #"Bearer realm="users""#)
            }
        }
    }

    @Test("without a scopes closure the user gets the scopes of the verifier's extractor")
    func customUserStandardScopes() async throws {
        let mock = try MockVerifier(tokenBody: ["sub": "erin", "scope": "read write"])
        try await VaporIntegrationTests.withRunningApp(configure: { app in
            let api = app.grouped(BearerTokenAuthenticator(verifier: mock, createUser: { token, tokenBody in User(id: tokenBody.subject ?? "", token: token) }))
            api.grouped(RequireScopes(.all("write"))).get("write") { req in try req.auth.require(User.self).id }
            api.grouped(RequireScopes(.all("delete"))).get("delete") { req in try req.auth.require(User.self).id }
        }) { app in
            try await app.test(.GET, "write", headers: Self.headers(token: "anything")) { response in
                #expect(response.status == .ok)
                #expect(Self.text(response) == "erin")
            }
            try await app.test(.GET, "delete", headers: Self.headers(token: "anything")) {
                Self.expectInsufficientScope($0, scope: "delete", missing: "[delete]")
            }
        }
    }

    @Test("req.requireScopes inside a handler, no error middleware added: 403 insufficient_scope with scope=\"…\" and the JSON body, 200 when granted, 401 without a token")
    func requireScopesInHandler() async throws {
        let issuer = try TestIssuer()
        let server = try issuer.serve()
        defer { server.stop() }
        let verifier = try JWKSVerifier(jwksURI: server.url("/jwks.json"))
        let reader = try issuer.token(claims: ["sub": "alice", "scope": "reports:read"])
        let exporter = try issuer.token(claims: ["sub": "bob", "scope": "reports:export reports:read"])
        try await VaporIntegrationTests.withRunningApp(configure: { Self.tokenRoutes($0, verifier: verifier) }) { app in
            try await app.test(.GET, "reports", headers: Self.headers(token: reader)) { response in
                Self.expectInsufficientScope(response, scope: "reports:read reports:export", missing: "missing scope [reports:export]")
                #expect(response.headers.first(name: .wwwAuthenticate)?.hasPrefix(#"Bearer realm="reports""#) == true)
            }
            try await app.test(.GET, "reports", headers: Self.headers(token: exporter)) { response in
                #expect(response.status == .ok)
                #expect(Self.text(response) == "bob")
            }
            try await app.test(.GET, "reports") { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers.first(name: .wwwAuthenticate) == #"Bearer realm="reports""#)
                #expect(Self.json(response)["error"] == "unauthorized")
            }
            try await app.test(.GET, "archive", headers: Self.headers(token: exporter)) { response in
                Self.expectInsufficientScope(response, scope: "archive", missing: "the archive is closed")
                #expect(response.headers.first(name: .wwwAuthenticate)?.hasPrefix(#"Bearer realm="reports", "#) == true)
            }
        }
    }
}
#endif
