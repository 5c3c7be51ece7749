import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import LayabConsole
import TestSupport
import Testing

/// A loopback server playing an OAuth 2.0 provider: discovery at the well-known location, a token endpoint
/// and a device authorization endpoint, each answered by the test's handler. Every request is kept.
final class TokenProvider: Sendable {
    let server: TestHTTPServer
    let directory: TemporaryDirectory
    let secret = "s3cr3t-Value/+"

    /// - Parameter token: the token endpoint's answer to each request (the other paths are served here).
    init(token: @escaping @Sendable (TestHTTPServer.Request) -> TestHTTPServer.Response) throws {
        let server = try TestHTTPServer { _ in .json("", status: 404) }
        let base = server.baseURL
        server.setHandler { request in
            switch request.path {
            case "/.well-known/openid-configuration":
                return .json(#"{"issuer":"\#(base)","token_endpoint":"\#(base)/token","device_authorization_endpoint":"\#(base)/device","jwks_uri":"\#(base)/jwks.json"}"#)
            case "/device":
                return .json(#"{"device_code":"dev-code-1","user_code":"WDJB-MJHT","verification_uri":"\#(base)/activate","expires_in":30,"interval":0}"#)
            case "/token": return token(request)
            default: return .json(#"{"error":"not found"}"#, status: 404)
            }
        }
        self.server = server
        directory = try TemporaryDirectory()
        try directory.write("secret.txt", secret + "\n")
    }

    deinit { server.stop() }

    /// The common arguments: the token endpoint, the client and its secret file.
    var clientArguments: [String] {
        ["token", "--token-url", server.url("/token"), "--client-id", "my client", "--client-secret-file", directory.path("secret.txt")]
    }

    /// The form fields of the requests to `path`.
    func forms(_ path: String = "/token") -> [[String: [String]]] {
        server.requests.filter { $0.path == path }.map { request in
            var fields: [String: [String]] = [:]
            for (name, value) in FormEncoding.decode(String(decoding: request.body, as: UTF8.self)) { fields[name, default: []].append(value) }
            return fields
        }
    }

    static func tokenAnswer(_ accessToken: String, extra: String = "") -> TestHTTPServer.Response {
        .json(#"{"access_token":"\#(accessToken)","token_type":"Bearer","expires_in":300,"scope":"read write"\#(extra)}"#)
    }
}

@Suite("layabauth token", .fewAtATime)
struct TokenCommandTests {
    @Test("client credentials with HTTP Basic: the access token alone on standard output; the form and the header as RFC 6749 wants them")
    func clientCredentialsBasic() async throws {
        let accessToken = "eyJ.basic.token"
        let provider = try TokenProvider { _ in TokenProvider.tokenAnswer(accessToken) }
        let result = try await layabauth(provider.clientArguments + ["--scope", "read", "--scope", "write", "--resource", "https://api.one/", "--resource", "https://api.two/"])
        #expect(result.status == 0, "\(result)")
        #expect(result.output == accessToken + "\n", "\(result)")
        #expect(result.errorOutput.isEmpty, "\(result)")
        let request = try #require(provider.server.requests.first { $0.path == "/token" })
        #expect(request.method == "POST")
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
        // RFC 6749 §2.3.1: each half form-encoded, then Base64: the space and the / and + of the secret escaped.
        let expected = Data("my%20client:s3cr3t-Value%2F%2B".utf8).base64EncodedString()
        #expect(request.headers["authorization"] == "Basic \(expected)")
        let form = try #require(provider.forms().first)
        #expect(form["grant_type"] == ["client_credentials"])
        #expect(form["scope"] == ["read write"])
        #expect(form["resource"] == ["https://api.one/", "https://api.two/"])
        #expect(form["client_secret"] == nil)
        #expect(!result.output.contains(provider.secret) && !result.errorOutput.contains(provider.secret))
    }

    @Test("client credentials with --auth post: client_id and client_secret in the form, no Authorization header")
    func clientCredentialsPost() async throws {
        let provider = try TokenProvider { _ in TokenProvider.tokenAnswer("eyJ.post.token") }
        let result = try await layabauth(provider.clientArguments + ["--auth", "post", "--audience", "https://api.example"])
        #expect(result.status == 0, "\(result)")
        #expect(result.output == "eyJ.post.token\n", "\(result)")
        let request = try #require(provider.server.requests.first { $0.path == "/token" })
        #expect(request.headers["authorization"] == nil)
        let form = try #require(provider.forms().first)
        #expect(form["client_id"] == ["my client"])
        #expect(form["client_secret"] == [provider.secret])
        #expect(form["audience"] == ["https://api.example"])
        #expect(form["scope"] == nil)
    }

    @Test("private_key_jwt: an RFC 7523 assertion that verifies with the client's public key, naming the client and the token endpoint", arguments: [Algorithm.es256, .eddsa])
    func privateKeyJWT(algorithm: Algorithm) async throws {
        let provider = try TokenProvider { _ in TokenProvider.tokenAnswer("eyJ.jwt.token") }
        let key = try SigningKey.generate(algorithm)
        let keyPath = try provider.directory.write("client.pem", try #require(key.privateKeyPEM))
        let result = try await layabauth(["token", "--token-url", provider.server.url("/token"), "--client-id", "jwt-client", "--client-key", keyPath])
        #expect(result.status == 0, "\(result)")
        #expect(result.output == "eyJ.jwt.token\n", "\(result)")
        let request = try #require(provider.server.requests.first { $0.path == "/token" })
        #expect(request.headers["authorization"] == nil)
        let form = try #require(provider.forms().first)
        #expect(form["client_assertion_type"] == ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"])
        let assertion = try #require(form["client_assertion"]?.first)
        let verifier = try Verifier(keys: KeySet(keys: [key.verificationKey]),
                                    configuration: VerifierConfiguration(algorithms: [algorithm], audiences: [provider.server.url("/token")]))
        let verified = try verifier.verify(assertion)
        #expect(verified.claims["iss"]?.stringValue == "jwt-client")
        #expect(verified.claims["sub"]?.stringValue == "jwt-client")
        #expect(verified.claims["jti"]?.stringValue?.isEmpty == false)
        let lifetime = try #require(verified.claims["exp"]?.doubleValue) - (try #require(verified.claims["iat"]?.doubleValue))
        #expect(lifetime == 60)
        // A key the client does not hold does not verify it.
        let other = try Verifier(keys: KeySet(keys: [try SigningKey.generate(algorithm).verificationKey]),
                                 configuration: VerifierConfiguration(algorithms: [algorithm], audiences: [provider.server.url("/token")]))
        #expect(throws: LayabAuthError.self) { try other.verify(assertion) }
    }

    /// The JOSE cookbook's private JWKs (RFC 7520 §3.2, §3.4), read in place from `../shared/test-vectors`.
    static let cookbookKeys: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/test-vectors/jose-cookbook/jwk")

    @Test("private_key_jwt with a private JWK: the algorithm follows the key, the JWK's kid is in the header, and the public part verifies the assertion",
          arguments: [("3_2.ec_private_key.json", Algorithm.es512), ("3_4.rsa_private_key.json", .rs256)])
    func privateKeyJWTFromJWK(file: String, algorithm: Algorithm) async throws {
        let path = Self.cookbookKeys.appendingPathComponent(file).path
        try #require(FileManager.default.fileExists(atPath: path), "the shared test vectors are missing: \(path)")
        let provider = try TokenProvider { _ in TokenProvider.tokenAnswer("eyJ.jwk.token") }
        let result = try await layabauth(["token", "--token-url", provider.server.url("/token"), "--client-id", "jwk-client", "--client-key", path])
        #expect(result.status == 0, "\(result)")
        #expect(result.output == "eyJ.jwk.token\n", "\(result)")
        // Nothing of the private key reaches the output or the errors.
        let jwk = jsonObject(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self).replacingOccurrences(of: "\n", with: " "))
        let d = try #require(jwk["d"]?.stringValue)
        #expect(!result.output.contains(d) && !result.errorOutput.contains(d))
        let assertion = try #require(provider.forms().first?["client_assertion"]?.first)
        let token = try DecodedToken.decode(assertion)
        #expect(token.header.algorithmName == algorithm.rawValue)
        #expect(token.header.kid == "bilbo.baggins@hobbiton.example")
        // The public members alone verify it.
        let privateMembers: Set<String> = ["d", "p", "q", "dp", "dq", "qi"]
        let publicJWK = JSONObject(jwk.filter { !privateMembers.contains($0.0) }.map { ($0.0, $0.1) })
        let jwks = JSONValue.object(["keys": .array([.object(publicJWK)])]).jsonText
        let verifier = try Verifier(keys: KeySet(jwksJSON: jwks),
                                    configuration: VerifierConfiguration(algorithms: [algorithm], audiences: [provider.server.url("/token")]))
        let verified = try verifier.verify(assertion)
        #expect(verified.claims["iss"]?.stringValue == "jwk-client")
        #expect(verified.claims["sub"]?.stringValue == "jwk-client")
    }

    @Test("--issuer: the token endpoint comes from the discovery document")
    func discovery() async throws {
        let provider = try TokenProvider { _ in TokenProvider.tokenAnswer("eyJ.discovered.token") }
        let result = try await layabauth(["token", "--issuer", provider.server.baseURL, "--client-id", "c", "--client-secret-file", provider.directory.path("secret.txt")])
        #expect(result.status == 0, "\(result)")
        #expect(result.output == "eyJ.discovered.token\n", "\(result)")
        #expect(provider.server.requestCount(path: "/.well-known/openid-configuration") == 1)
        #expect(provider.server.requestCount(path: "/token") == 1)
    }

    @Test("refresh grant: the refresh token from its file; --json prints the response with the refresh token redacted")
    func refreshGrant() async throws {
        let provider = try TokenProvider { _ in TokenProvider.tokenAnswer("eyJ.refreshed.token", extra: #","refresh_token":"new-refresh-secret""#) }
        let refreshPath = try provider.directory.write("refresh.txt", "old-refresh-secret\n")
        let result = try await layabauth(provider.clientArguments + ["--grant", "refresh", "--refresh-token-file", refreshPath, "--json"])
        #expect(result.status == 0, "\(result)")
        let form = try #require(provider.forms().first)
        #expect(form["grant_type"] == ["refresh_token"])
        #expect(form["refresh_token"] == ["old-refresh-secret"])
        let object = jsonObject(result.output.replacingOccurrences(of: "\n", with: " "))
        #expect(object["access_token"]?.stringValue == "eyJ.refreshed.token")
        #expect(object["token_type"]?.stringValue == "Bearer")
        #expect(object["expires_in"]?.doubleValue == 300)
        #expect(object["scope"]?.stringValue == "read write")
        #expect(object["refresh_token"]?.stringValue == "[redacted]")
        for secret in ["new-refresh-secret", "old-refresh-secret", provider.secret] {
            #expect(!result.output.contains(secret) && !result.errorOutput.contains(secret), "\(secret) printed: \(result)")
        }
        let shown = try await layabauth(provider.clientArguments + ["--grant", "refresh", "--refresh-token-file", refreshPath, "--json", "--show-refresh-token"])
        #expect(jsonObject(shown.output.replacingOccurrences(of: "\n", with: " "))["refresh_token"]?.stringValue == "new-refresh-secret", "\(shown)")
    }

    @Test("device flow: the user code and URI on standard error, authorization_pending polls on, slow_down adds 5 s to the interval")
    func deviceFlow() async throws {
        let answers = Locked(["authorization_pending", "slow_down"])
        let provider = try TokenProvider { _ in
            if let next = answers.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return .json(#"{"error":"\#(next)"}"#, status: 400) }
            return TokenProvider.tokenAnswer("eyJ.device.token")
        }
        let result = try await layabauth(["token", "--issuer", provider.server.baseURL, "--client-id", "cli", "--grant", "device", "--scope", "openid"])
        #expect(result.status == 0, "\(result)")
        #expect(result.output == "eyJ.device.token\n", "\(result)")
        #expect(result.errorOutput.contains("open \(provider.server.url("/activate")) and enter the code WDJB-MJHT"), "\(result)")
        #expect(result.errorOutput.contains("the provider asked to slow down: polling every 5 s"), "\(result)")
        let device = try #require(provider.forms("/device").first)
        #expect(device["client_id"] == ["cli"])
        #expect(device["scope"] == ["openid"])
        let polls = provider.forms()
        #expect(polls.count == 3)
        #expect(polls.allSatisfy { $0["grant_type"] == ["urn:ietf:params:oauth:grant-type:device_code"] && $0["device_code"] == ["dev-code-1"] })
    }

    @Test("device flow with --device-url and --token-url: no discovery document is asked for")
    func deviceFlowWithoutDiscovery() async throws {
        let provider = try TokenProvider { _ in TokenProvider.tokenAnswer("eyJ.device.url.token") }
        let result = try await layabauth(["token", "--token-url", provider.server.url("/token"), "--device-url", provider.server.url("/device"),
                                          "--client-id", "cli", "--grant", "device"])
        #expect(result.status == 0, "\(result)")
        #expect(result.output == "eyJ.device.url.token\n", "\(result)")
        #expect(provider.forms("/device").first?["client_id"] == ["cli"])
        #expect(provider.server.requestCount(path: "/.well-known/openid-configuration") == 0)
    }

    @Test("a token endpoint that answers 307 gets the same form again at the new address")
    func temporaryRedirect() async throws {
        let provider = try TokenProvider { _ in TokenProvider.tokenAnswer("eyJ.redirected.token") }
        let target = provider.server.url("/token")
        let redirecting = try TestHTTPServer { _ in TestHTTPServer.Response(status: 307, headers: [("Location", target)]) }
        defer { redirecting.stop() }
        let result = try await layabauth(["token", "--token-url", redirecting.url("/old-token"), "--client-id", "my client",
                                          "--client-secret-file", provider.directory.path("secret.txt"), "--auth", "post"])
        #expect(result.status == 0, "\(result)")
        #expect(result.output == "eyJ.redirected.token\n", "\(result)")
        let form = try #require(provider.forms().first)
        #expect(form["grant_type"] == ["client_credentials"])
        #expect(form["client_secret"] == [provider.secret])
    }

    @Test("device flow ends with exit 1 on expired_token and access_denied, each explained", arguments: [
        ("expired_token", "the device code expired before the person approved"),
        ("access_denied", "the request was denied"),
    ])
    func deviceFlowRefused(error: String, explanation: String) async throws {
        let provider = try TokenProvider { _ in .json(#"{"error":"\#(error)"}"#, status: 400) }
        let result = try await layabauth(["token", "--issuer", provider.server.baseURL, "--client-id", "cli", "--grant", "device"])
        #expect(result.status == 1, "\(result)")
        #expect(result.output.isEmpty, "\(result)")
        #expect(result.errorOutput.contains("HTTP 400 \(error)"), "\(result)")
        #expect(result.errorOutput.contains(explanation), "\(result)")
    }

    @Test("provider answers explained with the exit status: refused 1, failing or unreachable 3", arguments: [
        (401, "application/json", #"{"error":"invalid_client","error_description":"Client authentication failed"}"#, 1,
         ["HTTP 401 invalid_client: \"Client authentication failed\"", "check --client-id, the secret or key, and --auth"]),
        (403, "", "", 1, ["HTTP 403 with an empty body", "wrong client secret"]),
        (400, "application/json", #"{"error":"scope_invalid"}"#, 1, ["HTTP 400 scope_invalid", "non-standard spelling of invalid_scope"]),
        (500, "text/html", "<html><head><title>Internal error page</title></head><body>" + String(repeating: "x", count: 600) + "</body></html>", 3,
         ["HTTP 500 without an OAuth error", "Internal error page"]),
        (200, "application/json", #"{"token_type":"Bearer"}"#, 1, ["has no \"access_token\""]),
    ])
    func providerErrors(status: Int, contentType: String, body: String, exitStatus: Int32, phrases: [String]) async throws {
        let provider = try TokenProvider { _ in
            TestHTTPServer.Response(status: status, headers: contentType.isEmpty ? [] : [("Content-Type", contentType)], body: Array(body.utf8))
        }
        let result = try await layabauth(provider.clientArguments)
        #expect(result.status == exitStatus, "\(result)")
        #expect(result.output.isEmpty, "\(result)")
        for phrase in phrases { #expect(result.errorOutput.contains(phrase), "missing \(phrase): \(result)") }
        #expect(!result.errorOutput.contains("xxxxxxxxxx"), "the HTML page was dumped: \(result)")
    }

    @Test("a secret the provider echoes back is redacted from the explanation")
    func echoedSecretRedacted() async throws {
        let secret = "s3cr3t-Value/+"
        let provider = try TokenProvider { _ in .json(#"{"error":"invalid_client","error_description":"secret \#(secret) is wrong"}"#, status: 401) }
        let result = try await layabauth(provider.clientArguments + ["--auth", "post"])
        #expect(result.status == 1, "\(result)")
        #expect(result.errorOutput.contains("secret [redacted] is wrong"), "\(result)")
        #expect(!result.errorOutput.contains(secret), "\(result)")
    }

    @Test("an unreachable provider: exit 3 with the cause")
    func unreachable() async throws {
        let directory = try TemporaryDirectory()
        let secret = try directory.write("secret.txt", "x")
        let result = try await layabauth(["token", "--token-url", try stoppedServerURL("/token"), "--client-id", "c", "--client-secret-file", secret])
        #expect(result.status == 3, "\(result)")
        #expect(result.errorOutput.contains("cannot post to http://127.0.0.1:"), "\(result)")
        #expect(result.errorOutput.contains("connection refused"), "\(result)")
    }

    @Test("usage errors: exit 2 with the reason", arguments: [
        (["--client-id", "c", "--client-secret-file", "SECRET"], "give --issuer (discovery) or --token-url"),
        (["--token-url", "http://127.0.0.1:9/token", "--client-id", "c"], "give --client-secret-file or --client-key"),
        (["--token-url", "http://127.0.0.1:9/token", "--client-id", "c", "--client-secret-file", "SECRET", "--auth", "private_key_jwt"], "needs --client-key"),
        (["--token-url", "http://127.0.0.1:9/token", "--client-id", "c", "--client-secret-file", "SECRET", "--grant", "refresh"], "needs --refresh-token-file"),
        (["--token-url", "ftp://idp/token", "--client-id", "c", "--client-secret-file", "SECRET"], "is not an http(s) URL"),
        (["--token-url", "http://127.0.0.1:9/token", "--client-id", "c", "--client-secret-file", "/nonexistent/secret"], "cannot read the client secret file"),
    ])
    func usage(arguments: [String], reason: String) async throws {
        let directory = try TemporaryDirectory()
        let secret = try directory.write("secret.txt", "hunter2-secret")
        let result = try await layabauth(["token"] + arguments.map { $0 == "SECRET" ? secret : $0 })
        #expect(result.status == 2, "\(result)")
        #expect(result.errorOutput.contains(reason), "\(result)")
        #expect(!result.errorOutput.contains("hunter2-secret"), "\(result)")
    }
}

/// The device flow's polling rules, with the waits recorded instead of slept.
@Suite("Device flow polling")
struct DeviceFlowPollingTests {
    /// A flow against a provider whose token endpoint answers `errors` in turn, then a token.
    static func flow(_ errors: [String]) throws -> (DeviceFlow, TokenProvider) {
        let answers = Locked(errors)
        let provider = try TokenProvider { _ in
            if let next = answers.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return .json(#"{"error":"\#(next)"}"#, status: 400) }
            return TokenProvider.tokenAnswer("eyJ.polled.token")
        }
        let request = TokenRequest(endpoint: provider.server.url("/token"), clientID: "cli", authentication: .none)
        return (DeviceFlow(request: request, authorizationEndpoint: provider.server.url("/device")), provider)
    }

    @Test("slow_down adds 5 s to the interval for that poll and every later one (RFC 8628 §3.5)")
    func slowDownAddsFiveSeconds() async throws {
        let (flow, provider) = try Self.flow(["authorization_pending", "slow_down", "authorization_pending", "slow_down"])
        // The server stops when the provider goes: keep it to the end.
        defer { withExtendedLifetime(provider) {} }
        let authorization = try await flow.authorize()
        #expect(authorization.userCode == "WDJB-MJHT" && authorization.interval == 0)
        let waits = Locked<[Double]>([])
        let told = Locked<[Double]>([])
        let response = try await flow.poll(authorization, slowedDown: { interval in told.withLock { $0.append(interval) } },
                                           sleep: { seconds in waits.withLock { $0.append(seconds) } })
        #expect(response.accessToken == "eyJ.polled.token")
        #expect(waits.withLock { $0 } == [0, 0, 5, 5, 10])
        #expect(told.withLock { $0 } == [5, 10])
    }

    @Test("the code's lifetime ends the wait even while the provider keeps answering authorization_pending")
    func lifetimeEndsWait() async throws {
        let (flow, provider) = try Self.flow(Array(repeating: "authorization_pending", count: 10))
        // The server stops when the provider goes: keep it to the end.
        defer { withExtendedLifetime(provider) {} }
        let authorization = try await flow.authorize()
        // Each reading of the clock is 20 s later; the code lives 30 s.
        let ticks = Locked(0.0)
        await #expect {
            _ = try await flow.poll(authorization, clock: { ticks.withLock { $0 += 20; return $0 } }, sleep: { _ in })
        } throws: { error in
            let error = error as? ProviderError
            return error?.code == "expired_token" && error?.kind == .refused && error?.description == "the user code WDJB-MJHT expired after 30 s without approval"
        }
        #expect(provider.forms().count == 1)
    }
}
