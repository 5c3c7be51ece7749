#if Hummingbird
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import HummingbirdTesting
import LayabAuth
import LayabAuthHummingbird
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// An application's own identity type built by `createUser(token, tokenBody)` with scopes from
/// `scopes(token, tokenBody)`, and scope checks inside handlers, over Hummingbird's live server on 127.0.0.1.
@Suite("Hummingbird custom identities and scope checks in handlers")
struct HummingbirdUserTests {
    /// An application's user: nothing of LayabAuth in it.
    struct User: Sendable {
        let id: String
        let token: String
    }

    struct UserBody: ResponseEncodable {
        let id: String
        let token: String
        let scopes: [String]
    }

    /// Roles become scopes `role:<name>`; the standard `scope` claim is ignored on purpose, so a test can
    /// tell which of the two the guards checked.
    static func roles(_ token: String, _ tokenBody: Claims) -> [String] {
        ScopeExtractor.strings(tokenBody["roles"]).map { "role:" + $0 }
    }

    static func userApplication(_ verifier: any TokenVerifying) -> some ApplicationProtocol {
        let router = Router(context: BasicAuthRequestContext<AuthenticatedUser<User>>.self)
        let api = router.group()
            .add(middleware: BearerTokenAuthenticator(
                verifier: verifier, realm: "users",
                createUser: { token, tokenBody in User(id: tokenBody.subject ?? "", token: token) },
                scopes: roles))
            .add(middleware: RequireBearerToken())
        api.get("me") { _, context in
            let identity = try context.requireIdentity()
            return UserBody(id: identity.id, token: identity.token.raw, scopes: identity.grantedScopes)
        }
        // A guard's own realm wins; the guards and checks that name none take the authenticator's.
        api.group("admin").add(middleware: RequireScopes(.all("role:admin"), realm: "admins")).get { _, context in
            try context.requireIdentity().id
        }
        api.get("reports") { _, context in
            try context.requireScopes(.any("role:auditor", "role:admin")).id
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// The plain identity (the verified token) with a scope check inside the handler, which names no realm:
    /// the authenticator's applies.
    static func tokenApplication(_ verifier: any TokenVerifying) -> some ApplicationProtocol {
        let router = Router(context: BasicAuthRequestContext<VerifiedToken>.self)
        router.add(middleware: BearerTokenAuthenticator(verifier: verifier, realm: "reports"))
        router.get("reports") { _, context in
            try context.requireScopes(.all("reports:read", "reports:export")).claims.subject ?? ""
        }
        router.get("archive") { _, _ -> String in
            // An application's own refusal, with no realm either.
            throw BearerAuthenticationError(LayabAuthError(.insufficientScope, "the archive is closed", requiredScopes: ["archive"]), realm: nil)
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func get(_ client: some TestClientProtocol, _ path: String, token: String? = nil) async throws -> TestResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: path, method: .get, headers: headers)
    }

    static func json(_ response: TestResponse) throws -> JSONValue { try JSONParser.parse(Array(buffer: response.body)) }
    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    /// A 403 as RFC 6750 §3.1 describes it: the challenge names the error and the required scopes, the body
    /// says which are missing.
    static func expectInsufficientScope(_ response: TestResponse, scope: String, missing: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == .forbidden, sourceLocation: sourceLocation)
        let challenge = response.headers[.wwwAuthenticate] ?? ""
        #expect(challenge.hasPrefix("Bearer "), sourceLocation: sourceLocation)
        #expect(challenge.contains(#"error="insufficient_scope""#), "\(challenge)", sourceLocation: sourceLocation)
        #expect(challenge.contains(#"scope="\#(scope)""#), "\(challenge)", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
        let body = try json(response)
        #expect(body["error"] == "insufficient_scope", sourceLocation: sourceLocation)
        #expect(body["error_description"]?.stringValue?.contains(missing) == true, "\(body)", sourceLocation: sourceLocation)
    }

    @Test("createUser(token, tokenBody) builds the identity; RequireScopes and requireScopes check what scopes(token, tokenBody) grants")
    func customIdentity() async throws {
        let issuer = try TestIssuer()
        let server = try issuer.serve()
        defer { server.stop() }
        let verifier = try JWKSVerifier(jwksURI: server.url("/jwks.json"))
        // Each token's standard scope claim would pass the guards it fails: only the roles count.
        let admin = try issuer.token(claims: ["sub": "root", "roles": ["admin"], "scope": "role:auditor"])
        let auditor = try issuer.token(claims: ["sub": "carol", "roles": ["auditor"], "scope": "role:admin"])
        let nobody = try issuer.token(claims: ["sub": "dave", "scope": "role:admin role:auditor"])
        try await Self.userApplication(verifier).test(.live) { client in
            let me = try await Self.get(client, "/me", token: admin)
            #expect(me.status == .ok)
            let body = try Self.json(me)
            #expect(body["id"] == "root")
            #expect(body["token"] == .string(admin))
            #expect(body["scopes"] == ["role:admin"])

            let adminRoute = try await Self.get(client, "/admin", token: admin)
            #expect(adminRoute.status == .ok)
            #expect(Self.text(adminRoute) == "root")
            let refusedAdmin = try await Self.get(client, "/admin", token: auditor)
            try Self.expectInsufficientScope(refusedAdmin, scope: "role:admin", missing: "[role:admin]")
            #expect(refusedAdmin.headers[.wwwAuthenticate]?.hasPrefix(#"Bearer realm="admins", "#) == true)

            let reports = try await Self.get(client, "/reports", token: auditor)
            #expect(reports.status == .ok)
            #expect(Self.text(reports) == "carol")
            #expect(try await Self.get(client, "/reports", token: admin).status == .ok)
            let refusedReports = try await Self.get(client, "/reports", token: nobody)
            try Self.expectInsufficientScope(refusedReports, scope: "role:auditor role:admin",
                                             missing: "none of the accepted scopes [role:auditor, role:admin]")
            #expect(refusedReports.headers[.wwwAuthenticate]?.hasPrefix(#"Bearer realm="users", "#) == true)

            let anonymous = try await Self.get(client, "/me")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == #"Bearer realm="users""#)
        }
    }

    @Test("without a scopes closure the user gets the scopes of the verifier's extractor")
    func customIdentityStandardScopes() async throws {
        let mock = try MockVerifier(tokenBody: ["sub": "erin", "scope": "read write"])
        let router = Router(context: BasicAuthRequestContext<AuthenticatedUser<User>>.self)
        router.add(middleware: BearerTokenAuthenticator(verifier: mock) { token, tokenBody in User(id: tokenBody.subject ?? "", token: token) })
        router.get("write") { _, context in try context.requireScopes(.all("write")).id }
        router.get("delete") { _, context in try context.requireScopes(.all("delete")).id }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let write = try await Self.get(client, "/write", token: "anything")
            #expect(write.status == .ok)
            #expect(Self.text(write) == "erin")
            try Self.expectInsufficientScope(try await Self.get(client, "/delete", token: "anything"), scope: "delete", missing: "[delete]")
        }
    }

    @Test("context.requireScopes inside a handler: 403 insufficient_scope with scope=\"…\" and the JSON body, 200 when granted, 401 without a token")
    func requireScopesInHandler() async throws {
        let issuer = try TestIssuer()
        let server = try issuer.serve()
        defer { server.stop() }
        let verifier = try JWKSVerifier(jwksURI: server.url("/jwks.json"))
        try await Self.tokenApplication(verifier).test(.live) { client in
            let reader = try issuer.token(claims: ["sub": "alice", "scope": "reports:read"])
            let response = try await Self.get(client, "/reports", token: reader)
            try Self.expectInsufficientScope(response, scope: "reports:read reports:export", missing: "missing scope [reports:export]")
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix(#"Bearer realm="reports""#) == true)

            let exporter = try issuer.token(claims: ["sub": "bob", "scope": "reports:export reports:read"])
            let granted = try await Self.get(client, "/reports", token: exporter)
            #expect(granted.status == .ok)
            #expect(Self.text(granted) == "bob")

            let anonymous = try await Self.get(client, "/reports")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == #"Bearer realm="reports""#)

            let archive = try await Self.get(client, "/archive", token: exporter)
            try Self.expectInsufficientScope(archive, scope: "archive", missing: "the archive is closed")
            #expect(archive.headers[.wwwAuthenticate]?.hasPrefix(#"Bearer realm="reports", "#) == true)
        }
    }
}
#endif
