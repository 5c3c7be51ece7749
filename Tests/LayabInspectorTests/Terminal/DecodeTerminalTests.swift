import Foundation
import LayabAuth
import LayabAuthTesting
import Testing

/// Issue 14, "show everything that decodes, exactly", in the real inspector in a real terminal (tmux).
@Suite("Everything that decodes, in a terminal (issue 14)", .serialized)
struct DecodeTerminalTests {
    static func base64(_ json: String) -> String { Base64URL.encode(Array(json.utf8)) }

    /// A GitHub Actions-like token with a damaged signature segment: names that share a long prefix, an
    /// integer beyond Int64, a subject in NFD and an iat years ago.
    static let damaged: String = {
        let header = base64(#"{"alg":"RS256","kid":"gh-actions-1","typ":"JWT"}"#)
        let payload = base64(#"{"iss":"https://token.actions.githubusercontent.com","sub":"re\u0301po:octo/e\u0301\u0301\u0301","#
            + #""repository_owner_id":"9919","repository_visibility":"private","repository_id":"123456789","#
            + #""repository_owner":"octo","run_id":123456789012345678901234567890,"iat":1677628800}"#)
        return "\(header).\(payload).c2ln*damaged*"
    }()

    @Test("a damaged signature: header and claims shown under the refusal, names whole, the integer as written, NFD visible, age in years")
    func damagedSignature() async throws {
        let scratch = try Scratch()
        let file = try scratch.write("token.txt", Self.damaged)
        let session = try TmuxSession(["inspect", "@" + file], width: 200, height: 60)
        defer { session.close() }
        let age = TimeText.relative(1_677_628_800, now: Date().timeIntervalSince1970)
        let screen = try await session.waitFor("Refused by every verifier: malformed: the signature segment is not valid base64url",
                                               "repository_owner_id ", "repository_visibility ", "repository_id ", "repository_owner ",
                                               "123456789012345678901234567890", #"value code points re\u{301}po:octo/e\u{301}\u{301}\u{301}"#,
                                               "2023-03-01T00:00:00Z  \(age)", #""kid": "gh-actions-1""#)
        #expect(age.contains("y "), "\(age)")
        #expect(!screen.contains("Nothing decoded."), "\(screen)")
        #expect(!screen.contains("repository_…") && !screen.contains("e+29"), "\(screen)")
        _ = try await session.quit()
    }

    @Test("a JWE: its protected header's alg, enc and kid")
    func encrypted() async throws {
        let header = Self.base64(#"{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"enc-key-7"}"#)
        let session = try TmuxSession(["inspect", "\(header).a2V5.aXY.Y2lwaGVydGV4dA.dGFn"], width: 200, height: 50)
        defer { session.close() }
        try await session.waitFor("Refused by every verifier: encrypted_token_unsupported", "Protected header",
                                  #""alg": "RSA-OAEP-256""#, #""enc": "A256GCM""#, #""kid": "enc-key-7""#,
                                  "Payload encrypted (JWE): 10 bytes of ciphertext, not decrypted")
        _ = try await session.quit()
    }

    @Test("a token over 16 KiB: its claims are shown")
    func oversized() async throws {
        let scratch = try Scratch()
        let header = Self.base64(#"{"alg":"RS256","kid":"big-1"}"#)
        let payload = Self.base64(#"{"sub":"oversized-subject","pad":""# + String(repeating: "x", count: 17 * 1024) + #""}"#)
        let file = try scratch.write("token.txt", "\(header).\(payload).c2ln")
        let session = try TmuxSession(["inspect", "@" + file], width: 200, height: 50)
        defer { session.close() }
        try await session.waitFor("Refused by every verifier: token_too_large", #""oversized-subject""#, #""big-1""#,
                                  "more characters, all in the JSON below")
        _ = try await session.quit()
    }

    @Test("an HTML error page from the JWKS URL: status and title, not the markup")
    func htmlErrorPage() async throws {
        let page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{margin:4em}</style></head><body><h1>502</h1></body></html>"
        let server = try TestHTTPServer { _ in TestHTTPServer.Response(status: 502, headers: [("Content-Type", "text/html")], body: Array(page.utf8)) }
        defer { server.stop() }
        let header = Self.base64(#"{"alg":"RS256","kid":"k"}"#)
        let payload = Self.base64(#"{"sub":"s"}"#)
        let session = try TmuxSession(["inspect", "\(header).\(payload).c2ln", "--jwks", server.url("/jwks.json")], width: 200, height: 50)
        defer { session.close() }
        try session.press("Tab")
        let screen = try await session.waitFor(#"an HTML page (\#(page.utf8.count) bytes): "502 Bad Gateway""#)
        #expect(!screen.contains("<style>") && !screen.contains("<!DOCTYPE"), "\(screen)")
        _ = try await session.quit()
    }
}
