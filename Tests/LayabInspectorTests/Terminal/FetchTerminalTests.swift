import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// The inspector fetching its own token (`--client-id`), in a real terminal (tmux), from a loopback server
/// playing the provider: a client credentials token endpoint whose tokens a TestIssuer signs, and that
/// issuer's JWKS on the same server.
@Suite("Fetching tokens in the inspector, in a terminal", .serialized)
struct FetchTerminalTests {
    /// The provider: answers client credentials for the client `api` with the secret below, else 401 invalid_client.
    final class Provider {
        static let secret = "fetch-S3cret+/value"
        let issuer: LayabAuthTesting.TestIssuer
        let server: TestHTTPServer
        let scratch: Scratch
        let secretFile: String
        private let issued = Locked(0)

        /// - Parameters:
        ///   - expiresIn: the `expires_in` of each answer.
        ///   - grantedScope: the `scope` member of each answer.
        ///   - acceptSecret: the secret the client must send (HTTP Basic).
        ///   - lifetime: seconds from `iat` to the tokens' own `exp`.
        init(expiresIn: Int = 300, grantedScope: String = "read", acceptSecret: String = Provider.secret, lifetime: Double = 3600) throws {
            let issuer = try LayabAuthTesting.TestIssuer(algorithms: [.es256])
            let jwks = issuer.jwks
            let expected = "Basic " + Data("api:\(FormEncoding.escape(acceptSecret))".utf8).base64EncodedString()
            let issued = self.issued
            server = try TestHTTPServer { request in
                switch request.path {
                case "/jwks.json": return .json(jwks)
                case "/token":
                    guard request.headers["authorization"] == expected else {
                        return .json(#"{"error":"invalid_client","error_description":"Client authentication failed"}"#, status: 401)
                    }
                    let number = issued.withLock { count -> Int in
                        count += 1
                        return count
                    }
                    guard let token = try? issuer.token(claims: ["sub": "api", "scope": .string(grantedScope), "jti": .string("fetched-\(number)")], lifetime: lifetime) else {
                        return TestHTTPServer.Response(status: 500)
                    }
                    return .json(#"{"access_token":"\#(token)","token_type":"Bearer","expires_in":\#(expiresIn),"scope":"\#(grantedScope)"}"#)
                default: return TestHTTPServer.Response(status: 404)
                }
            }
            self.issuer = issuer
            scratch = try Scratch()
            secretFile = try scratch.write("secret.txt", Provider.secret + "\n")
        }

        deinit { server.stop() }

        var arguments: [String] {
            ["inspect", "--jwks", server.url("/jwks.json"), "--token-url", server.url("/token"), "--client-id", "api", "--client-secret-file", secretFile]
        }

        var tokenRequests: Int { server.requestCount(path: "/token") }
    }

    @Test("--client-id: the fetched token is shown VALID beside the token response (requested and granted scopes, expires_in); F fetches a new one")
    func fetchAndRefetch() async throws {
        let provider = try Provider(grantedScope: "read")
        let session = try TmuxSession(provider.arguments + ["--scope", "read", "--scope", "write"], width: 160, height: 50)
        defer { session.close() }
        let screen = try await session.waitFor("Signature  VALID", "token 1 fetched", "requested read write", "granted   read", "(not granted: write)", "expires_in 300 s")
        #expect(screen.contains("fetched-1"), "\(screen)")
        #expect(!screen.contains(Provider.secret), "\(screen)")
        #expect(provider.tokenRequests == 1)

        try session.press("F")
        let again = try await session.waitFor("token 2 fetched", "fetched-2", "Signature  VALID")
        #expect(!again.contains("fetched-1"), "\(again)")
        #expect(provider.tokenRequests == 2)

        // Both are in the history, as fetched.
        try session.press("[")
        try await session.waitFor("token 1 of 2 (fetched)", "fetched-1")
        _ = try await session.quit()
    }

    @Test("a token with a short expires_in is fetched again by itself when it expires")
    func refetchOnExpiry() async throws {
        let provider = try Provider(expiresIn: 2)
        let session = try TmuxSession(provider.arguments, width: 160, height: 50)
        defer { session.close() }
        try await session.waitFor("token 1 fetched", "expires_in 2 s")
        let screen = try await session.waitFor("token 3 fetched", "fetched-3", "Signature  VALID", timeout: 30)
        #expect(!screen.contains(Provider.secret), "\(screen)")
        #expect(provider.tokenRequests >= 3)
        _ = try await session.quit()
    }

    @Test("a token whose own exp comes before expires_in is fetched again at its exp")
    func refetchAtTokenExpiry() async throws {
        let provider = try Provider(expiresIn: 300, lifetime: 2)
        let session = try TmuxSession(provider.arguments, width: 160, height: 50)
        defer { session.close() }
        try await session.waitFor("token 1 fetched", "expires_in 300 s")
        try await session.waitFor("token 2 fetched", "fetched-2", timeout: 30)
        #expect(provider.tokenRequests >= 2)
        _ = try await session.quit()
    }

    @Test("a provider refusing the client: its 401 invalid_client explained on screen, without the secret; not asked again until F")
    func providerRefuses() async throws {
        let provider = try Provider(acceptSecret: "another secret")
        let session = try TmuxSession(provider.arguments, width: 160, height: 50)
        defer { session.close() }
        let screen = try await session.waitFor("answered HTTP 401 invalid_client", "\"Client authentication", "check --client-id", "(F: try again)")
        #expect(!screen.contains(Provider.secret), "\(screen)")
        try await Task.sleep(for: .seconds(2))
        #expect(provider.tokenRequests == 1)
        try session.press("F")
        try await session.waitUntil("a second request") { _ in provider.tokenRequests == 2 }
        _ = try await session.quit()
    }

    @Test("--device: the user code and verification URI are shown until the person approves, then the token, VALID")
    func deviceFlow() async throws {
        let issuer = try LayabAuthTesting.TestIssuer(algorithms: [.es256])
        let jwks = issuer.jwks
        let approved = Locked(false)
        let server = try TestHTTPServer { _ in TestHTTPServer.Response(status: 404) }
        defer { server.stop() }
        let base = server.baseURL
        server.setHandler { request in
            switch request.path {
            case "/jwks.json": return .json(jwks)
            case "/device":
                return .json(#"{"device_code":"dev-code-1","user_code":"WDJB-MJHT","verification_uri":"\#(base)/activate","expires_in":60,"interval":1}"#)
            case "/token":
                guard approved.withLock({ $0 }) else { return .json(#"{"error":"authorization_pending"}"#, status: 400) }
                guard let token = try? issuer.token(claims: ["sub": "person", "jti": "device-token"]) else { return TestHTTPServer.Response(status: 500) }
                return .json(#"{"access_token":"\#(token)","token_type":"Bearer","expires_in":300}"#)
            default: return TestHTTPServer.Response(status: 404)
            }
        }
        let session = try TmuxSession(["inspect", "--jwks", server.url("/jwks.json"), "--token-url", server.url("/token"),
                                       "--device-url", server.url("/device"), "--client-id", "cli", "--device"], width: 160, height: 50)
        defer { session.close() }
        try await session.waitFor("to approve, open \(base)/activate", "and enter the code WDJB-MJHT", "waiting for approval")
        try await session.waitUntil("two polls") { _ in server.requestCount(path: "/token") >= 2 }
        #expect(try !session.capture().contains("Signature"))
        approved.withLock { $0 = true }
        let screen = try await session.waitFor("Signature  VALID", "token 1 fetched", "device-token")
        #expect(!screen.contains("WDJB-MJHT"), "\(screen)")
        _ = try await session.quit()
    }

    @Test("--device: an expired token is renewed with its refresh token, without a new approval; a refused refresh token asks for approval again")
    func deviceFlowRefresh() async throws {
        let issuer = try LayabAuthTesting.TestIssuer(algorithms: [.es256])
        let jwks = issuer.jwks
        let approvals = Locked(0)
        let refreshes = Locked<[String]>([])
        let server = try TestHTTPServer { _ in TestHTTPServer.Response(status: 404) }
        defer { server.stop() }
        let base = server.baseURL
        server.setHandler { request in
            let form = String(decoding: request.body, as: UTF8.self)
            let answer = { (jti: String, refresh: String?) -> TestHTTPServer.Response in
                guard let token = try? issuer.token(claims: ["sub": "person", "jti": .string(jti)]) else { return TestHTTPServer.Response(status: 500) }
                let refreshMember = refresh.map { #","refresh_token":"\#($0)""# } ?? ""
                return .json(#"{"access_token":"\#(token)","token_type":"Bearer","expires_in":2\#(refreshMember)}"#)
            }
            switch request.path {
            case "/jwks.json": return .json(jwks)
            case "/device":
                return .json(#"{"device_code":"dev-code-1","user_code":"WDJB-MJHT","verification_uri":"\#(base)/activate","expires_in":60,"interval":1}"#)
            case "/token" where form.contains("grant_type=refresh_token"):
                let count = refreshes.withLock { list -> Int in
                    list.append(form)
                    return list.count
                }
                // The first refresh works and sends no new refresh token (the old one stays valid); the second is refused.
                return count == 1 ? answer("refreshed", nil) : .json(#"{"error":"invalid_grant","error_description":"refresh token expired"}"#, status: 400)
            case "/token":
                let approval = approvals.withLock { $0 }
                guard approval > 0 else { return .json(#"{"error":"authorization_pending"}"#, status: 400) }
                return answer("approved-\(approval)", "refresh-secret-1")
            default: return TestHTTPServer.Response(status: 404)
            }
        }
        let session = try TmuxSession(["inspect", "--jwks", server.url("/jwks.json"), "--token-url", server.url("/token"),
                                       "--device-url", server.url("/device"), "--client-id", "cli", "--device"], width: 160, height: 50)
        defer { session.close() }
        try await session.waitFor("and enter the code WDJB-MJHT")
        approvals.withLock { $0 = 1 }
        try await session.waitFor("token 1 fetched", "approved-1")
        // expires_in 2: renewed by the refresh grant, with no second device authorization.
        let renewed = try await session.waitFor("token 2 fetched", "refreshed", "Signature  VALID", timeout: 30)
        #expect(!renewed.contains("refresh-secret-1"), "\(renewed)")
        #expect(server.requestCount(path: "/device") == 1)
        #expect(refreshes.withLock { $0.first?.contains("refresh_token=refresh-secret-1") } == true)
        // The second renewal spends the same refresh token, is refused, and the person is asked again.
        try await session.waitFor("and enter the code WDJB-MJHT", timeout: 30)
        #expect(server.requestCount(path: "/device") == 2)
        #expect(refreshes.withLock { $0.count } == 2)
        approvals.withLock { $0 = 2 }
        try await session.waitFor("token 3 fetched", "approved-2", timeout: 30)
        _ = try await session.quit()
    }
}
