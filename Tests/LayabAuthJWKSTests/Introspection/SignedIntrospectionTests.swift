import LayabAuth
@testable import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// RFC 9701: the endpoint answers with a JWT signed by the authorization server.
@Suite("Signed introspection answers (RFC 9701)")
struct SignedIntrospectionTests {
    static let clientID = "rs"

    func serve(_ body: @escaping @Sendable (String?) -> String) throws -> TestHTTPServer {
        try TestHTTPServer { request in
            TestHTTPServer.Response(headers: [("Content-Type", "application/token-introspection+jwt")], body: Array(body(request.headers["accept"]).utf8))
        }
    }

    func signedAnswer(_ issuer: Issuer, clock: ManualClock, iss: String? = nil, aud: String = clientID, typ: String = "token-introspection+jwt",
                      active: Bool = true) throws -> String
    {
        let introspection: JSONObject = active ? ["active": true, "sub": "carol", "scope": "read", "exp": .integer(Int64(clock.now + 600))] : ["active": false]
        return try issuer.keys[0].sign(claims: ["iss": .string(iss ?? issuer.name), "aud": .string(aud), "iat": .integer(Int64(clock.now)),
                                                "token_introspection": .object(introspection)],
                                       extraHeader: ["typ": .string(typ)])
    }

    func verifier(_ server: TestHTTPServer, _ issuer: Issuer, clock: ManualClock, signed: Bool = true) throws -> IntrospectionVerifier {
        let keys = StaticKeySource(try KeySet(jwksJSON: issuer.jwks))
        return try IntrospectionVerifier(endpoint: .url(server.url("/introspect")), clientID: Self.clientID, authentication: .basic(secret: "s"),
                                         configuration: configuration(clock),
                                         signedResponses: signed ? SignedIntrospectionResponses(keys: keys, issuer: issuer.name) : nil)
    }

    @Test("a signed answer is verified and its token_introspection claim used; the request asks for it")
    func signedActive() async throws {
        let clock = ManualClock()
        let issuer = try Issuer()
        let answer = try signedAnswer(issuer, clock: clock)
        let server = try serve { _ in answer }
        defer { server.stop() }
        let verified = try await verifier(server, issuer, clock: clock).verify("opaque", requiring: .all("read"))
        #expect(verified.claims.subject == "carol" && verified.scopes == ["read"])
        #expect(server.requests.first?.headers["accept"] == "application/token-introspection+jwt")
    }

    @Test("a signed inactive answer is inactive_token")
    func signedInactive() async throws {
        let clock = ManualClock()
        let issuer = try Issuer()
        let answer = try signedAnswer(issuer, clock: clock, active: false)
        let server = try serve { _ in answer }
        defer { server.stop() }
        let error = await #expect(throws: LayabAuthError.self) { try await verifier(server, issuer, clock: clock).verify("opaque") }
        #expect(error?.code == .inactiveToken)
    }

    @Test("a signed answer that does not hold is introspection_unavailable", arguments: ["other key", "issuer", "audience", "typ", "no keys"])
    func refused(_ fault: String) async throws {
        let clock = ManualClock()
        let issuer = try Issuer()
        let answer = switch fault {
        case "other key": try signedAnswer(try Issuer(kids: ["k1"]), clock: clock)
        case "issuer": try signedAnswer(issuer, clock: clock, iss: "https://evil.test")
        case "audience": try signedAnswer(issuer, clock: clock, aud: "someone-else")
        case "typ": try signedAnswer(issuer, clock: clock, typ: "JWT")
        default: try signedAnswer(issuer, clock: clock)
        }
        let server = try serve { _ in answer }
        defer { server.stop() }
        let error = await #expect(throws: LayabAuthError.self, "\(fault)") {
            try await verifier(server, issuer, clock: clock, signed: fault != "no keys").verify("opaque")
        }
        #expect(error?.code == .introspectionUnavailable, "\(fault): \(String(describing: error))")
    }

    @Test("without signed answers configured, the request asks for JSON")
    func plainAccept() async throws {
        let server = try TestHTTPServer { _ in .json(#"{"active":false}"#) }
        defer { server.stop() }
        let verifier = try IntrospectionVerifier(endpoint: .url(server.url("/introspect")), clientID: "rs", authentication: .none)
        _ = try? await verifier.verify("opaque")
        #expect(server.requests.first?.headers["accept"] == "application/json")
        #expect(FormEncoding.decode(String(decoding: server.requests.first?.body ?? [], as: UTF8.self)).first?.name == "client_id")
    }
}
