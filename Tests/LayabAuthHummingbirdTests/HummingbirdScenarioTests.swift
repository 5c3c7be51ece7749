#if Hummingbird
import HTTPTypes
import Hummingbird
import HummingbirdAuth
@testable import HummingbirdExample
import HummingbirdTesting
import LayabAuth
import LayabAuthJWKS
import LayabAuthHummingbird
import LayabAuthTesting
import TestSupport
import Testing

/// The scenarios both adapters must pass (TestSupport's `HTTPScenario.table`) over real HTTP: Hummingbird's
/// live test server on 127.0.0.1, with tokens minted by the test issuer and keys served by a loopback JWKS server.
@Suite("Hummingbird scenarios over HTTP")
struct HummingbirdScenarioTests {
    static let scenarios = HTTPScenario.table(exampleRealm: "hummingbird-example", jsonContentType: "application/json")

    @Test("each scenario", arguments: scenarios)
    func scenario(_ scenario: HTTPScenario) async throws {
        try await scenario.run { verifier, conversation in
            switch scenario.app {
            case .example: try await Self.serve(Self.exampleApplication(verifier), conversation)
            case .users: try await Self.serve(Self.userApplication(verifier), conversation)
            case .usersWithStandardScopes: try await Self.serve(Self.standardScopesApplication(verifier), conversation)
            case .reports: try await Self.serve(Self.reportsApplication(verifier), conversation)
            case let .disclosing(disclosure): try await Self.serve(Self.disclosingApplication(verifier, disclosure), conversation)
            case .senderConstrained: try await Self.serve(Self.senderConstrainedApplication(verifier), conversation)
            }
        }
    }

    struct UnknownMethod: Error {
        let method: String
    }

    /// Runs `conversation` against `app` on the live test server.
    static func serve(_ app: some ApplicationProtocol, _ conversation: @escaping HTTPScenario.Conversation) async throws {
        try await app.test(.live) { client in
            try await conversation { request in
                guard let method = HTTPRequest.Method(request.method) else { throw UnknownMethod(method: request.method) }
                var headers = HTTPFields()
                for (name, value) in request.headers {
                    if let name = HTTPField.Name(name) { headers.append(HTTPField(name: name, value: value)) }
                }
                let response = try await client.execute(uri: request.path, method: method, headers: headers)
                return ScenarioReply(status: response.status.code, headers: response.headers.map { ($0.name.rawName, $0.value) },
                                     body: Array(buffer: response.body))
            }
        }
    }

    static func exampleApplication(_ verifier: any TokenVerifying) -> some ApplicationProtocol {
        Application(router: buildRouter(verifier: verifier), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

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

    static func userApplication(_ verifier: any TokenVerifying) -> some ApplicationProtocol {
        let router = Router(context: BasicAuthRequestContext<AuthenticatedUser<User>>.self)
        let api = router.group()
            .add(middleware: BearerTokenAuthenticator(
                verifier: verifier, realm: "users",
                createUser: { token, tokenBody in User(id: tokenBody.subject ?? "", token: token) },
                scopes: HTTPScenario.roleScopes))
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

    /// The application's own user type, without a scopes closure.
    static func standardScopesApplication(_ verifier: any TokenVerifying) -> some ApplicationProtocol {
        let router = Router(context: BasicAuthRequestContext<AuthenticatedUser<User>>.self)
        router.add(middleware: BearerTokenAuthenticator(verifier: verifier) { token, tokenBody in User(id: tokenBody.subject ?? "", token: token) })
        router.get("write") { _, context in try context.requireScopes(.all("write")).id }
        router.get("delete") { _, context in try context.requireScopes(.all("delete")).id }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// The plain identity (the verified token) with a scope check inside the handler, which names no realm:
    /// the authenticator's applies.
    static func reportsApplication(_ verifier: any TokenVerifying) -> some ApplicationProtocol {
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

    /// The verified token as identity, refusals told as `disclosure` allows.
    static func disclosingApplication(_ verifier: any TokenVerifying, _ disclosure: LayabAuthError.Disclosure) -> some ApplicationProtocol {
        let router = Router(context: BasicAuthRequestContext<VerifiedToken>.self)
        router.add(middleware: BearerTokenAuthenticator(verifier: verifier, realm: "api", disclosure: disclosure))
        router.get("me") { _, context in try context.requireIdentity().claims.subject ?? "" }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// DPoP and forwarded client certificates (``HTTPScenario/senderConstraints``), realm "api": GET /me, GET /bound.
    static func senderConstrainedApplication(_ verifier: any TokenVerifying) -> some ApplicationProtocol {
        let router = Router(context: BasicAuthRequestContext<VerifiedToken>.self)
        let api = router.group()
            .add(middleware: BearerTokenAuthenticator(verifier: verifier, realm: "api", senderConstraints: HTTPScenario.senderConstraints))
            .add(middleware: RequireBearerToken())
        api.get("me") { _, context in try context.requireIdentity().claims.subject ?? "" }
        api.group("bound").add(middleware: RequireSenderConstrainedToken()).get { _, context in try context.requireIdentity().claims.subject ?? "" }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}
#endif
