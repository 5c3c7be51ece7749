import Foundation
import LayabAuth
import LayabAuthTesting
import Testing

/// Several trusted issuers in the real inspector in a real terminal (tmux), each a provider with discovery on a
/// loopback server of its own: the token's `iss` picks whose keys check it, and an untrusted one contacts no one.
@Suite("Trusted issuers in a terminal (issue 16)", .serialized)
struct TrustedIssuersTerminalTests {
    /// A provider on 127.0.0.1 serving discovery and its JWKS; its issuer is the server's base URL.
    struct Provider {
        let key: SigningKey
        let server: TestHTTPServer
        var name: String { server.baseURL }

        init(kid: String = "k1") throws {
            key = try SigningKey.generate(.es256, kid: kid)
            let jwks = KeySet(keys: [key.verificationKey]).publicJWKS.jsonText
            server = try TestHTTPServer { _ in .json("", status: 404) }
            let base = server.baseURL
            server.setHandler { request in
                switch request.path {
                case "/jwks.json": return .json(jwks, headers: [("Cache-Control", "max-age=300")])
                case "/.well-known/openid-configuration":
                    return .json(#"{"issuer":"\#(base)","jwks_uri":"\#(base)/jwks.json","response_types_supported":["code"]}"#)
                default: return .json(#"{"error":"not found"}"#, status: 404)
                }
            }
        }

        func token(_ claims: JSONObject = [:]) throws -> String {
            var body: JSONObject = ["iss": .string(name), "sub": "carol", "exp": .integer(Int64(Date().timeIntervalSince1970) + 3600)]
            for member in claims { body[member.name] = member.value }
            return try key.sign(claims: body)
        }
    }

    @Test("a token of A is VALID with A's keys, a pasted token of B with B's; an untrusted iss is refused with no request to either")
    func twoIssuers() async throws {
        let a = try Provider(), b = try Provider()
        defer { a.server.stop(); b.server.stop() }
        let session = try TmuxSession(["inspect", try a.token(), "--trust-issuer", a.name, "--trust-issuer", b.name], width: 200, height: 60)
        defer { session.close() }
        var screen = try await session.waitFor("Signature  VALID", "selected its keys")
        #expect(HintsTerminalTests.verificationPanel(screen).contains("trusted issuer \"\(a.name)\" selected its keys"), "\(screen)")
        #expect(b.server.requests.isEmpty, "\(b.server.requests.map(\.path))")

        try session.paste(try b.token())
        screen = try await session.waitUntil("B's token VALID") {
            $0.contains("Signature  VALID") && HintsTerminalTests.verificationPanel($0).contains("trusted issuer \"\(b.name)\" selected its keys")
        }
        #expect(b.server.requestCount(path: "/jwks.json") == 1)
        try session.press("Tab")
        screen = try await session.waitFor("trusted issuer \(b.name)")

        let requests = a.server.requests.count + b.server.requests.count
        try session.press("Tab")
        try session.paste(try a.token(["iss": "https://evil.test"]))
        screen = try await session.waitFor("is not a trusted issuer", "no key source contacted")
        #expect(!screen.contains("Signature  VALID"), "\(screen)")
        try await Task.sleep(for: .milliseconds(500))
        #expect(a.server.requests.count + b.server.requests.count == requests, "\((a.server.requests + b.server.requests).map(\.path))")
        _ = try await session.quit()
    }

    @Test("a template: a token whose tid is not the tenant its iss names is refused, with no request for keys")
    func templateTenant() async throws {
        let provider = try Provider(kid: "common")
        defer { provider.server.stop() }
        let template = provider.name + "/{tenantid}/v2.0"
        let issuer = provider.name + "/t-1/v2.0"
        let mismatch = try provider.token(["iss": .string(issuer), "tid": "t-2"])
        let session = try TmuxSession(["inspect", mismatch, "--trust-issuer-template", template, "--jwks", provider.server.url("/jwks.json"),
                                       "--tenant", "t-1"], width: 200, height: 60)
        defer { session.close() }
        let screen = try await session.waitFor("issuer_mismatch", "no key source contacted")
        #expect(HintsTerminalTests.verificationPanel(screen).contains("tid \"t-2\" differs from the tenant \"t-1\""), "\(screen)")
        #expect(!screen.contains("Signature  VALID"), "\(screen)")
        #expect(provider.server.requests.isEmpty, "\(provider.server.requests.map(\.path))")

        try session.paste(try provider.token(["iss": .string(issuer), "tid": "t-1"]))
        let accepted = try await session.waitFor("Signature  VALID", "tenant \"t-1\"")
        #expect(HintsTerminalTests.verificationPanel(accepted).contains("tenant \"t-1\" of trusted issuer \"\(issuer)\" selected its keys"), "\(accepted)")
        #expect(provider.server.requestCount(path: "/jwks.json") == 1)

        // A what-if edit (E) re-signs with a LOCAL key: the tenant's binding is checked again on the edited claims.
        try session.press("E")
        try session.press("C-u")
        try session.paste(#"{"iss":"\#(issuer)","sub":"carol","tid":"t-2"}"#)
        try session.press("Enter")
        var edited = try await session.waitFor("LOCAL TOKEN", "issuer_mismatch")
        #expect(HintsTerminalTests.verificationPanel(edited).contains("tid \"t-2\" differs from the tenant \"t-1\""), "\(edited)")
        try session.press("E")
        try session.press("C-u")
        try session.paste(#"{"iss":"https://evil.test","sub":"carol","tid":"t-1"}"#)
        try session.press("Enter")
        edited = try await session.waitFor("is not a trusted issuer", "no key source contacted")
        #expect(!edited.contains("Signature  VALID"), "\(edited)")
        #expect(provider.server.requests.count == 1, "\(provider.server.requests.map(\.path))")
        _ = try await session.quit()
    }

    @Test("the options are checked as verify checks them, and the demo is not mixed with trusted issuers")
    func options() throws {
        for (arguments, message) in [
            (["inspect", "--demo", "--trust-issuer", "https://a.test"], "leave out the trusted issuers"),
            (["inspect", "some.token.here", "--tenant", "t-1"], "--tenant needs --trust-issuer-template"),
            (["inspect", "some.token.here", "--trust-issuer-template", "https://login.test/{tenantid}/v2.0"], "needs --jwks"),
        ] {
            let result = try Spawn.run([Binary.path] + arguments, environment: TmuxSession.environment)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.errors.contains(message), "\(arguments): \(result.errors)")
        }
    }
}
