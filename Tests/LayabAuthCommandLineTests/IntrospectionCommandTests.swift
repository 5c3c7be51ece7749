import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// `layabauth verify` with an introspection endpoint (RFC 7662) on 127.0.0.1.
@Suite("layabauth verify: opaque tokens by introspection", .fewAtATime)
struct IntrospectionCommandTests {
    static let secret = "cli-introspection-secret"
    static let opaque = "opaque-cli-7d2f9b"

    /// An endpoint that knows `opaque` (active, sub alice, scope read) and requires Basic rs:secret.
    static func endpoint() throws -> TestHTTPServer {
        try TestHTTPServer { request in
            let expected = "Basic " + Data("rs:\(secret)".utf8).base64EncodedString()
            guard request.headers["authorization"] == expected else { return .json(#"{"error":"invalid_client"}"#, status: 401) }
            let form = FormEncoding.decode(String(decoding: request.body, as: UTF8.self))
            guard form.first(where: { $0.name == "token" })?.value == opaque else { return .json(#"{"active":false}"#) }
            let exp = Int(Date().timeIntervalSince1970) + 600
            return .json(#"{"active":true,"sub":"alice","scope":"read","client_id":"app","aud":"api","exp":\#(exp)}"#)
        }
    }

    func arguments(_ server: TestHTTPServer, _ directory: TemporaryDirectory) throws -> [String] {
        ["--introspection-url", server.url("/introspect"), "--client-id", "rs", "--client-secret-file", try directory.write("secret", Self.secret)]
    }

    @Test("an active opaque token is VALID, its answer shown as the claims, marked introspected")
    func active() async throws {
        let directory = try TemporaryDirectory()
        let server = try Self.endpoint()
        defer { server.stop() }
        let text = try await layabauth(["verify", Self.opaque, "--audience", "api", "--scope", "read"] + arguments(server, directory))
        #expect(text.status == 0, "\(text)")
        #expect(text.output.contains("VALID") && text.output.contains("introspected by \(server.url("/introspect"))"), "\(text)")
        #expect(text.output.contains("alice") && text.output.contains("client_id"), "\(text)")
        #expect(!text.output.contains(Self.secret) && !text.errorOutput.contains(Self.secret))
        let json = try await layabauth(["verify", "--json", Self.opaque] + arguments(server, directory))
        let object = jsonObject(json.output)
        #expect(json.status == 0 && object["valid"] == true, "\(json)")
        #expect(object["introspected"] == .string(server.url("/introspect")) && object["active"] == true)
        #expect(object["claims"]?["sub"] == "alice" && object["header"] == .null && object["key"] == .null)
        #expect(object["scopes"]?["granted"] == ["read"])
    }

    @Test("an inactive token is REJECTED with inactive_token (exit 1); a wrong audience is refused even when active")
    func rejected() async throws {
        let directory = try TemporaryDirectory()
        let server = try Self.endpoint()
        defer { server.stop() }
        let inactive = try await layabauth(["verify", "--json", "revoked-token"] + arguments(server, directory))
        #expect(inactive.status == 1, "\(inactive)")
        #expect(jsonObject(inactive.output)["errors"]?.arrayValue?.first?["code"] == "inactive_token")
        let audience = try await layabauth(["verify", Self.opaque, "--audience", "other"] + arguments(server, directory))
        #expect(audience.status == 1 && audience.output.contains("audience_mismatch"), "\(audience)")
    }

    @Test("--acr and --max-age apply to an introspected answer as to a JWT's claims (RFC 9470)")
    func stepUp() async throws {
        let directory = try TemporaryDirectory()
        let server = try Self.endpoint()
        defer { server.stop() }
        // The endpoint's answer carries no acr and no auth_time.
        let json = try await layabauth(["verify", "--json", Self.opaque, "--acr", "urn:example:mfa", "--max-age", "5m"] + arguments(server, directory))
        #expect(json.status == 1, "\(json)")
        let object = jsonObject(json.output)
        #expect(object["errors"]?.arrayValue?.first?["code"] == "insufficient_user_authentication", "\(json)")
        #expect(object["authentication"] != nil, "\(json)")
        let text = try await layabauth(["verify", Self.opaque, "--acr", "urn:example:mfa"] + arguments(server, directory))
        #expect(text.status == 1 && text.output.contains("acr"), "\(text)")
        // Without a requirement the same answer is VALID.
        #expect(try await layabauth(["verify", Self.opaque] + arguments(server, directory)).status == 0)
    }

    @Test("an endpoint that is down is exit 3, like keys that cannot be obtained")
    func down() async throws {
        let directory = try TemporaryDirectory()
        let server = try Self.endpoint()
        let arguments = try arguments(server, directory)
        server.stop()
        let result = try await layabauth(["verify", "--json", Self.opaque] + arguments)
        #expect(result.status == 3, "\(result)")
        #expect(jsonObject(result.output)["errors"]?.arrayValue?.first?["code"] == "introspection_unavailable")
    }

    @Test("with keys too, a JWT is verified with them and the endpoint is not asked; batch lines are routed alike")
    func jwtWithKeys() async throws {
        let directory = try TemporaryDirectory()
        let server = try Self.endpoint()
        defer { server.stop() }
        let issuer = try TestIssuer()
        let keyFile = try directory.write("key.jwk", JSONValue.object(issuer.key.verificationKey.publicJWK).jsonText)
        let jwt = try issuer.token()
        let result = try await layabauth(["verify", "--json", jwt, "--key", keyFile] + arguments(server, directory))
        #expect(result.status == 0 && jsonObject(result.output)["introspected"] == nil, "\(result)")
        #expect(server.requestCount(path: "/introspect") == 0)
        let batch = try await layabauth(["verify", "-", "--key", keyFile] + arguments(server, directory), input: "\(jwt)\n\(Self.opaque)\nrevoked\n")
        #expect(batch.outputLines.count == 3, "\(batch)")
        #expect(batch.outputLines.first?.contains("VALID") == true && batch.outputLines.first?.contains("introspected") == false)
        #expect(batch.outputLines.dropFirst().first?.contains("VALID introspected sub \"alice\"") == true, "\(batch)")
        #expect(batch.outputLines.last?.contains("REJECTED introspected inactive_token") == true, "\(batch)")
        #expect(batch.status == 1)
    }

    @Test("introspection needs a client", arguments: [["--introspection-url", "http://127.0.0.1:1/i"], ["--introspect", "--client-id", "rs"]])
    func usage(_ options: [String]) async throws {
        let result = try await layabauth(["verify", "opaque"] + options)
        #expect(result.status != 0 && result.status != 1 && result.status != 3, "\(result)")
        #expect(result.errorOutput.contains("introspection") || result.errorOutput.contains("--client"), "\(result)")
    }
}
