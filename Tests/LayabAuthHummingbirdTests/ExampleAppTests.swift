#if Hummingbird
import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import Testing

/// The built example binaries, started as processes and called over HTTP on 127.0.0.1, as README shows.
@Suite("Example apps as processes")
struct ExampleAppTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let binary: String
        let discovery: Bool
        var testDescription: String { "\(binary) with \(discovery ? "--issuer (discovery)" : "--jwks")" }
    }

    static let cases = [
        Case(binary: "hummingbird-example", discovery: false), Case(binary: "hummingbird-example", discovery: true),
        Case(binary: "vapor-example", discovery: false), Case(binary: "vapor-example", discovery: true),
    ]

    @Test("health, me and admin answer as documented", arguments: cases)
    func routes(_ example: Case) async throws {
        try await OwnThread.run { try Self.check(example) }
    }

    static func check(_ example: Case) throws {
        let issuer = try TestIssuer()
        let keys = try issuer.serve()
        defer { keys.stop() }
        let arguments = example.discovery ? ["--issuer", keys.baseURL, "--audience", "example-api"] : ["--jwks", keys.url("/jwks.json"), "--audience", "example-api"]
        let app = try ExampleProcess(example.binary, arguments: arguments)
        // With discovery, tokens must carry iss equal to the discovered issuer.
        let iss: JSONValue = .string(example.discovery ? keys.baseURL : issuer.name)
        let reader = try issuer.token(claims: ["iss": iss, "sub": "alice", "aud": "example-api", "scope": "read"])
        let admin = try issuer.token(claims: ["iss": iss, "sub": "root", "aud": "example-api", "scope": "read admin"])
        let otherAudience = try issuer.token(claims: ["iss": iss, "sub": "alice", "aud": "another-api"])

        #expect(try app.get("/health").status == 200)
        let anonymous = try app.get("/me")
        #expect(anonymous.status == 401)
        #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Bearer realm=") == true)
        let me = try app.get("/me", authorization: "Bearer \(reader)")
        #expect(me.status == 200)
        #expect(try JSONParser.parse(me.body)["sub"] == "alice")
        #expect(try JSONParser.parse(me.body)["scopes"] == ["read"])
        let whoami = try app.get("/whoami", authorization: "Bearer \(reader)")
        #expect(whoami.status == 200)
        #expect(String(decoding: whoami.body, as: UTF8.self) == "alice\n")
        #expect(try app.get("/whoami").status == 401)
        let wrongAudience = try app.get("/me", authorization: "Bearer \(otherAudience)")
        #expect(wrongAudience.status == 401)
        #expect(wrongAudience.headers["www-authenticate"]?.contains("audience") == true)
        #expect(try app.get("/admin", authorization: "Bearer \(reader)").status == 403)
        #expect(try app.get("/admin", authorization: "Bearer \(admin)").status == 200)
        #expect(try app.get("/me", authorization: "Bearer not.a.jwt").status == 401)
    }

    @Test("both examples allow 30 s of clock skew, and --leeway changes it", arguments: ["hummingbird-example", "vapor-example"])
    func leeway(_ binary: String) async throws {
        try await OwnThread.run { try Self.checkLeeway(binary) }
    }

    static func checkLeeway(_ binary: String) throws {
        let issuer = try TestIssuer()
        let keys = try issuer.serve()
        defer { keys.stop() }
        // Expired 10 s ago: inside 30 s of leeway, outside none; expired 2 minutes ago: outside both.
        let justExpired = try issuer.token(claims: ["sub": "alice"], lifetime: -10)
        let longExpired = try issuer.token(claims: ["sub": "alice"], lifetime: -120)
        let lenient = try ExampleProcess(binary, arguments: ["--jwks", keys.url("/jwks.json")])
        #expect(try lenient.get("/me", authorization: "Bearer \(justExpired)").status == 200)
        #expect(try lenient.get("/me", authorization: "Bearer \(longExpired)").status == 401)
        let strict = try ExampleProcess(binary, arguments: ["--jwks", keys.url("/jwks.json"), "--leeway", "0"])
        let refused = try strict.get("/me", authorization: "Bearer \(justExpired)")
        #expect(refused.status == 401)
        #expect(refused.headers["www-authenticate"]?.contains("expired") == true)
    }

    @Test("keys unavailable: the client gets 503 and no detail of the key source, the server's log gets the cause",
          arguments: ["hummingbird-example", "vapor-example"])
    func unavailableKeysLogged(_ binary: String) async throws {
        try await OwnThread.run { try Self.checkUnavailable(binary) }
    }

    static func checkUnavailable(_ binary: String) throws {
        let issuer = try TestIssuer()
        let keys = try issuer.serve()
        let url = keys.url("/jwks.json")
        keys.stop()
        let app = try ExampleProcess(binary, arguments: ["--jwks", url])
        let response = try app.get("/me", authorization: "Bearer \(try issuer.token(claims: ["sub": "alice"]))")
        #expect(response.status == 503)
        #expect(response.headers["retry-after"] == "10")
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(try JSONParser.parse(response.body)["error"] == "temporarily_unavailable")
        #expect(!body.contains("127.0.0.1") && !body.contains("refused"), "\(body)")
        // The log is written as the request is answered; give the process a moment to flush it.
        let deadline = Date().addingTimeInterval(10)
        while !app.output.contains("bearer token not verified"), Date() < deadline { usleep(50_000) }
        let log = app.output
        #expect(log.contains("bearer token not verified: "), "\(log)")
        #expect(log.contains(url) && log.contains("connection refused"), "\(log)")
    }

    @Test("a request with two Authorization headers is 400 invalid_request, whichever would verify",
          arguments: ["hummingbird-example", "vapor-example"])
    func twoAuthorizationHeaders(_ binary: String) async throws {
        try await OwnThread.run { try Self.checkTwoHeaders(binary) }
    }

    static func checkTwoHeaders(_ binary: String) throws {
        let issuer = try TestIssuer()
        let keys = try issuer.serve()
        defer { keys.stop() }
        let app = try ExampleProcess(binary, arguments: ["--jwks", keys.url("/jwks.json")])
        let valid = "Bearer \(try issuer.token(claims: ["sub": "alice"]))"
        #expect(try app.get("/me", authorization: valid).status == 200)
        for pair in [[valid, "Bearer garbage.x.y"], ["Bearer garbage.x.y", valid], [valid, valid]] {
            let response = try TestHTTPClient.get(port: app.port, path: "/me", headers: pair.map { ("Authorization", $0) })
            #expect(response.status == 400, "\(pair)")
            #expect(response.headers["www-authenticate"]?.contains(#"error="invalid_request""#) == true)
            #expect(response.headers["www-authenticate"]?.contains("2 Authorization headers") == true, "\(response.headers)")
        }
    }
}
#endif
