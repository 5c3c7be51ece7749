#if Hummingbird
import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import Testing

/// Issue 16's flags of both example binaries, started as processes and called over HTTP on 127.0.0.1: the
/// RFC 9068 profile, a second trusted issuer, opaque tokens by introspection, and the step-up route.
@Suite("Example apps as processes: access-token profile, two issuers, introspection, step-up")
struct ExampleAppDeploymentTests {
    static let binaries = ["hummingbird-example", "vapor-example"]

    @Test("--access-token-profile: an at+jwt access token is accepted and its client_id shown; an ID token is refused as one", arguments: binaries)
    func accessTokenProfile(_ binary: String) async throws {
        try await OwnThread.run {
            let issuer = try TestIssuer()
            let keys = try issuer.serve()
            defer { keys.stop() }
            let app = try ExampleProcess(binary, arguments: ["--jwks", keys.url("/jwks.json"), "--issuer", issuer.name, "--audience", "api",
                                                             "--access-token-profile"])
            let now = Int64(SystemClock.now())
            let claims: JSONObject = ["iss": .string(issuer.name), "sub": "alice", "aud": "api", "client_id": "mobile-app", "jti": "t-1", "iat": .integer(now)]
            let access = try issuer.token(claims: claims, header: ["typ": "at+jwt"])
            let accepted = try app.get("/me", authorization: "Bearer \(access)")
            #expect(accepted.status == 200)
            #expect(try JSONParser.parse(accepted.body)["client_id"] == "mobile-app")
            let idToken = try issuer.token(claims: ["iss": .string(issuer.name), "sub": "alice", "aud": "api", "nonce": "n-1", "iat": .integer(now)],
                                           header: ["typ": "JWT"])
            let refused = try app.get("/me", authorization: "Bearer \(idToken)")
            #expect(refused.status == 401)
            #expect(try JSONParser.parse(refused.body)["error"] == "invalid_token")
            #expect(refused.headers["www-authenticate"]?.contains("ID token") == true, "\(refused.headers)")
            // --require-typ alone checks the type, not the profile's claims.
            let typed = try ExampleProcess(binary, arguments: ["--jwks", keys.url("/jwks.json"), "--require-typ", "at+jwt"])
            #expect(try typed.get("/me", authorization: "Bearer \(try issuer.token(claims: ["sub": "bob"], header: ["typ": "application/AT+JWT"]))").status == 200)
            #expect(try typed.get("/me", authorization: "Bearer \(try issuer.token(claims: ["sub": "bob"]))").status == 401)
        }
    }

    @Test("--issuer with --trust-issuer: tokens of both issuers verify with their own keys; an untrusted iss is refused without a request", arguments: binaries)
    func twoIssuers(_ binary: String) async throws {
        try await OwnThread.run {
            let first = try TestIssuer(), second = try TestIssuer(algorithms: [.es256])
            let firstKeys = try first.serve(), secondKeys = try second.serve()
            defer { firstKeys.stop(); secondKeys.stop() }
            let app = try ExampleProcess(binary, arguments: ["--issuer", firstKeys.baseURL, "--trust-issuer", secondKeys.baseURL])
            let fromFirst = try first.token(claims: ["iss": .string(firstKeys.baseURL), "sub": "alice"])
            let fromSecond = try second.token(claims: ["iss": .string(secondKeys.baseURL), "sub": "bob"])
            #expect(try JSONParser.parse(try app.get("/me", authorization: "Bearer \(fromFirst)").body)["sub"] == "alice")
            #expect(try JSONParser.parse(try app.get("/me", authorization: "Bearer \(fromSecond)").body)["sub"] == "bob")
            // Signed by the first issuer's key, claiming the second: the second's keys do not verify it.
            let crossed = try first.token(claims: ["iss": .string(secondKeys.baseURL), "sub": "mallory"])
            #expect(try app.get("/me", authorization: "Bearer \(crossed)").status == 401)
            let before = firstKeys.requests.count + secondKeys.requests.count
            let untrusted = try app.get("/me", authorization: "Bearer \(try first.token(claims: ["iss": "https://evil.example", "sub": "mallory"]))")
            #expect(untrusted.status == 401)
            #expect(untrusted.headers["www-authenticate"]?.contains("issuer") == true, "\(untrusted.headers)")
            #expect(firstKeys.requests.count + secondKeys.requests.count == before)
        }
    }

    @Test("--introspect: an active opaque token is accepted, an inactive one refused, JWTs stay local, an endpoint down is 503", arguments: binaries)
    func introspection(_ binary: String) async throws {
        try await OwnThread.run {
            let issuer = try TestIssuer()
            let keys = try issuer.serve()
            defer { keys.stop() }
            let expected = "Basic " + Data("example-api:introspection-secret".utf8).base64EncodedString()
            let endpoint = try TestHTTPServer { request in
                guard request.headers["authorization"] == expected else { return .json(#"{"error":"invalid_client"}"#, status: 401) }
                let form = String(decoding: request.body, as: UTF8.self)
                let exp = Int64(SystemClock.now()) + 600
                if form.contains("token=opaque-active") {
                    return .json(#"{"active":true,"sub":"carol","scope":"read admin","client_id":"batch-job","exp":\#(exp)}"#)
                }
                return .json(#"{"active":false}"#)
            }
            defer { endpoint.stop() }
            let secretFile = FileManager.default.temporaryDirectory.appendingPathComponent("layabauth-example-secret-\(UUID().uuidString)").path
            try Data("introspection-secret\n".utf8).write(to: URL(fileURLWithPath: secretFile))
            defer { try? FileManager.default.removeItem(atPath: secretFile) }
            let app = try ExampleProcess(binary, arguments: ["--jwks", keys.url("/jwks.json"), "--introspect", endpoint.url("/introspect"),
                                                             "--client-id", "example-api", "--client-secret-file", secretFile])
            let active = try app.get("/admin", authorization: "Bearer opaque-active")
            #expect(active.status == 200)
            #expect(try JSONParser.parse(active.body)["sub"] == "carol")
            #expect(try JSONParser.parse(active.body)["client_id"] == "batch-job")
            let inactive = try app.get("/me", authorization: "Bearer opaque-revoked")
            #expect(inactive.status == 401)
            #expect(try JSONParser.parse(inactive.body)["error"] == "invalid_token")
            let introspections = endpoint.requestCount(path: "/introspect")
            #expect(try app.get("/me", authorization: "Bearer \(try issuer.token(claims: ["sub": "dave"]))").status == 200)
            #expect(endpoint.requestCount(path: "/introspect") == introspections)
            // Nothing answers at the endpoint any more: 503 with Retry-After, the token is not at fault.
            endpoint.stop()
            let down = try app.get("/me", authorization: "Bearer opaque-new")
            #expect(down.status == 503)
            #expect(down.headers["retry-after"] != nil)
            #expect(try JSONParser.parse(down.body)["error"] == "temporarily_unavailable")
        }
    }

    @Test("GET /payments asks for a recent multi-factor login (RFC 9470): acr_values and max_age in the challenge", arguments: binaries)
    func stepUp(_ binary: String) async throws {
        try await OwnThread.run {
            let issuer = try TestIssuer()
            let keys = try issuer.serve()
            defer { keys.stop() }
            let app = try ExampleProcess(binary, arguments: ["--jwks", keys.url("/jwks.json")])
            let now = Int64(SystemClock.now())
            let fresh = try issuer.token(claims: ["sub": "alice", "acr": "urn:example:mfa", "auth_time": .integer(now - 5)])
            #expect(try app.get("/payments", authorization: "Bearer \(fresh)").status == 200)
            let password = try issuer.token(claims: ["sub": "alice", "acr": "urn:example:pwd", "auth_time": .integer(now - 5)])
            let refused = try app.get("/payments", authorization: "Bearer \(password)")
            #expect(refused.status == 401)
            let challenge = refused.headers["www-authenticate"] ?? ""
            #expect(challenge.contains(#"error="insufficient_user_authentication""#), "\(challenge)")
            #expect(challenge.contains(#"acr_values="urn:example:mfa""#) && challenge.contains(#"max_age="300""#), "\(challenge)")
            #expect(try app.get("/me", authorization: "Bearer \(password)").status == 200)
        }
    }

    @Test("--dpop-origin: a DPoP-bound token with its proof is accepted, the proof once; sent as Bearer it is refused, with or without the flag",
          arguments: binaries)
    func dpop(_ binary: String) async throws {
        try await OwnThread.run {
            let issuer = try TestIssuer()
            let keys = try issuer.serve()
            defer { keys.stop() }
            let key = try TestIssuer.dpopKey()
            let token = try issuer.dpopBoundToken(to: key, claims: ["sub": "alice"])
            let app = try ExampleProcess(binary, arguments: ["--jwks", keys.url("/jwks.json"), "--dpop-origin", "https://api.example"])
            let proof = try TestIssuer.dpopProof(method: "GET", url: "https://api.example/me", accessToken: token, key: key)
            let headers = [("Authorization", "DPoP \(token)"), ("DPoP", proof)]
            let accepted = try TestHTTPClient.get(port: app.port, path: "/me", headers: headers)
            #expect(accepted.status == 200)
            #expect(try JSONParser.parse(accepted.body)["sub"] == "alice")
            let replayed = try TestHTTPClient.get(port: app.port, path: "/me", headers: headers)
            #expect(replayed.status == 401)
            #expect(try JSONParser.parse(replayed.body)["error"] == "invalid_dpop_proof")
            #expect(try app.get("/me", authorization: "Bearer \(token)").status == 401)
            // Without DPoP configured, the bound token is still refused as Bearer: its binding cannot be proven.
            let bearerOnly = try ExampleProcess(binary, arguments: ["--jwks", keys.url("/jwks.json")])
            let refused = try bearerOnly.get("/me", authorization: "Bearer \(token)")
            #expect(refused.status == 401)
            #expect(try JSONParser.parse(refused.body)["error_description"]?.stringValue?.contains("DPoP") == true)
        }
    }
}
#endif
