import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// An opaque token in the inspector with an introspection endpoint (RFC 7662) on 127.0.0.1, in a real terminal (tmux).
@Suite("Introspection in the inspector, in a terminal", .serialized)
struct IntrospectionTerminalTests {
    static let secret = "inspector-introspection-S3cret"

    @Test("an opaque token is introspected: the claims panel shows the answer marked INTROSPECTED, the verdict its checks")
    func introspected() async throws {
        let expected = "Basic " + Data("rs:\(Self.secret)".utf8).base64EncodedString()
        let server = try TestHTTPServer { request in
            guard request.headers["authorization"] == expected else { return .json(#"{"error":"invalid_client"}"#, status: 401) }
            let form = FormEncoding.decode(String(decoding: request.body, as: UTF8.self))
            guard form.first(where: { $0.name == "token" })?.value == "opaque-inspected-42" else { return .json(#"{"active":false}"#) }
            let exp = Int(Date().timeIntervalSince1970) + 600
            return .json(#"{"active":true,"sub":"dora","scope":"read","client_id":"mobile-app","exp":\#(exp)}"#)
        }
        defer { server.stop() }
        let scratch = try Scratch()
        let secretFile = try scratch.write("secret.txt", Self.secret)
        let session = try TmuxSession(["inspect", "opaque-inspected-42", "--introspection-url", server.url("/introspect"), "--client-id", "rs",
                                       "--client-secret-file", secretFile, "--scope", "read"], width: 160, height: 50)
        defer { session.close() }
        let screen = try await session.waitFor("Claims (introspected)", "Claims  INTROSPECTED", "mobile-app", "dora", "the endpoint says active",
                                               "accepts the token (introspected)")
        #expect(!screen.contains(Self.secret), "\(screen)")
        #expect(server.requestCount(path: "/introspect") == 1)
        _ = try await session.quit()
    }

    @Test("an inactive token is refused with inactive_token and the 401 a server sends")
    func inactive() async throws {
        let server = try TestHTTPServer { _ in .json(#"{"active":false}"#) }
        defer { server.stop() }
        let scratch = try Scratch()
        let secretFile = try scratch.write("secret.txt", Self.secret)
        let session = try TmuxSession(["inspect", "revoked-token", "--introspection-url", server.url("/introspect"), "--client-id", "rs",
                                       "--client-secret-file", secretFile], width: 160, height: 50)
        defer { session.close() }
        try await session.waitFor("inactive_token", "HTTP 401 inactive_token", "No claims")
        _ = try await session.quit()
    }

    @Test("--acr on an introspected answer: the step-up check is listed and the server's answer is the 401 insufficient_user_authentication")
    func stepUp() async throws {
        let server = try TestHTTPServer { _ in
            let exp = Int(Date().timeIntervalSince1970) + 600
            return .json(#"{"active":true,"sub":"dora","acr":"urn:example:pwd","exp":\#(exp)}"#)
        }
        defer { server.stop() }
        let scratch = try Scratch()
        let secretFile = try scratch.write("secret.txt", Self.secret)
        let session = try TmuxSession(["inspect", "opaque-step-up", "--introspection-url", server.url("/introspect"), "--client-id", "rs",
                                       "--client-secret-file", secretFile, "--acr", "urn:example:mfa"], width: 160, height: 50)
        defer { session.close() }
        try await session.waitFor("Step-up", "urn:example:pwd", "HTTP 401 insufficient_user_authentication")
        _ = try await session.quit()
    }
}
