#if Vapor
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import LayabAuthVapor
import TestSupport
import Testing
@testable import VaporExample
import Vapor
import VaporTesting

/// The scenarios both adapters must pass (TestSupport's `HTTPScenario.table`) over real HTTP: Vapor's running
/// test server on 127.0.0.1, with tokens minted by the test issuer and keys served by a loopback JWKS server.
/// Scope checks inside handlers run with no error middleware added.
@Suite("Vapor scenarios over HTTP", .serialized)
struct VaporScenarioTests {
    static let scenarios = HTTPScenario.table(exampleRealm: "vapor-example", jsonContentType: "application/json; charset=utf-8")

    @Test("each scenario", arguments: scenarios)
    func scenario(_ scenario: HTTPScenario) async throws {
        try await scenario.run { verifier, conversation in
            try await Self.withRunningApp(configure: { app in
                switch scenario.app {
                case .example: configureRoutes(app, verifier: verifier)
                case .users: Self.userRoutes(app, verifier: verifier)
                case .usersWithStandardScopes: Self.standardScopesRoutes(app, verifier: verifier)
                case .reports: Self.reportsRoutes(app, verifier: verifier)
                case let .disclosing(disclosure): Self.disclosingRoutes(app, verifier: verifier, disclosure: disclosure)
                case .senderConstrained: Self.senderConstrainedRoutes(app, verifier: verifier)
                }
            }) { tester in
                try await conversation { request in
                    var headers = HTTPHeaders()
                    for (name, value) in request.headers { headers.add(name: name, value: value) }
                    let path = request.path.hasPrefix("/") ? String(request.path.dropFirst()) : request.path
                    let response = try await tester.sendRequest(HTTPMethod(rawValue: request.method), path, headers: headers)
                    return ScenarioReply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                                         body: Array(buffer: response.body))
                }
            }
        }
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

    static func userRoutes(_ app: Application, verifier: any TokenVerifying) {
        let api = app.grouped(
            BearerTokenAuthenticator(
                verifier: verifier, realm: "users",
                createUser: { token, tokenBody in User(id: tokenBody.subject ?? "", token: token) },
                scopes: HTTPScenario.roleScopes),
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

    /// The application's own user type, without a scopes closure.
    static func standardScopesRoutes(_ app: Application, verifier: any TokenVerifying) {
        let api = app.grouped(BearerTokenAuthenticator(verifier: verifier, createUser: { token, tokenBody in User(id: tokenBody.subject ?? "", token: token) }))
        api.grouped(RequireScopes(.all("write"))).get("write") { req in try req.auth.require(User.self).id }
        api.grouped(RequireScopes(.all("delete"))).get("delete") { req in try req.auth.require(User.self).id }
    }

    /// The plain set-up (the verified token, no user) with a scope check inside the handler and no
    /// `BearerErrorMiddleware`. The check names no realm: the authenticator's applies.
    static func reportsRoutes(_ app: Application, verifier: any TokenVerifying) {
        let routes = app.grouped(BearerTokenAuthenticator(verifier: verifier, realm: "reports"))
        routes.get("reports") { req -> String in
            try req.requireScopes(.all("reports:read", "reports:export")).claims.subject ?? ""
        }
        routes.get("archive") { _ -> String in
            // An application's own refusal, with no realm either.
            throw BearerAuthenticationError(LayabAuthError(.insufficientScope, "the archive is closed", requiredScopes: ["archive"]), realm: nil)
        }
    }

    /// The verified token, refusals told as `disclosure` allows.
    static func disclosingRoutes(_ app: Application, verifier: any TokenVerifying, disclosure: LayabAuthError.Disclosure) {
        let routes = app.grouped(BearerTokenAuthenticator(verifier: verifier, realm: "api", disclosure: disclosure), RequireBearerToken())
        routes.get("me") { req -> String in try req.auth.require(VerifiedToken.self).claims.subject ?? "" }
    }

    /// DPoP and forwarded client certificates (``HTTPScenario/senderConstraints``), realm "api": GET /me, GET /bound.
    static func senderConstrainedRoutes(_ app: Application, verifier: any TokenVerifying) {
        let routes = app.grouped(BearerTokenAuthenticator(verifier: verifier, realm: "api", senderConstraints: HTTPScenario.senderConstraints),
                                 RequireBearerToken())
        routes.get("me") { req -> String in try req.auth.require(VerifiedToken.self).claims.subject ?? "" }
        routes.grouped(RequireSenderConstrainedToken()).get("bound") { req -> String in try req.auth.require(VerifiedToken.self).claims.subject ?? "" }
    }
}
#endif
