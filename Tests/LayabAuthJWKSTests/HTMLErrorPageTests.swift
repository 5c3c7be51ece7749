import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// Issue 14: an HTML error page from a key source was dumped raw into the error (`<!DOCTYPE html><html
/// lang="en"><head><meta charset=…`), hiding the one line that says what happened. It is now summarised by
/// its status, size and title.
@Suite("An HTML error page from a key source is summarised (issue 14)")
struct HTMLErrorPageTests {
    static let page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><style>body { font-family: sans-serif; margin: 4em; }</style>
        <TITLE>
          502 Bad Gateway &amp; friends
        </TITLE></head>
        <body><h1>502 Bad Gateway</h1><p>The upstream server did not answer.</p></body></html>
        """

    func message(status: Int, headers: [(String, String)], body: String) async throws -> String {
        let server = try TestHTTPServer { _ in TestHTTPServer.Response(status: status, headers: headers, body: Array(body.utf8)) }
        defer { server.stop() }
        let source = try RemoteKeySource(.http(server.url("/jwks.json")), cachePolicy: KeyCachePolicy(minimumLifetime: 0))
        do {
            _ = try await source.currentKeys()
            Issue.record("expected jwks_unavailable, got keys")
            return ""
        } catch {
            #expect(error.code == .jwksUnavailable)
            return error.message
        }
    }

    @Test("status and title, not the markup")
    func titled() async throws {
        let message = try await message(status: 502, headers: [("Content-Type", "text/html; charset=utf-8")], body: Self.page)
        #expect(message.contains("HTTP 502 error while retrieving keys from http://127.0.0.1"), "\(message)")
        #expect(message.hasSuffix("/jwks.json: an HTML page (\(Self.page.utf8.count) bytes): \"502 Bad Gateway & friends\""), "\(message)")
        #expect(!message.contains("<"), "\(message)")
    }

    @Test("a page without a Content-Type is known by its doctype; one without a title says so")
    func untitled() async throws {
        let body = "<!doctype html><html><body>nope</body></html>"
        let message = try await message(status: 503, headers: [], body: body)
        #expect(message.hasSuffix(": an HTML page (\(body.utf8.count) bytes) without a title"), "\(message)")
    }

    @Test("a plain-text error body is still quoted")
    func plainText() async throws {
        let message = try await message(status: 500, headers: [("Content-Type", "text/plain")], body: "upstream <timeout>")
        #expect(message.hasSuffix("/jwks.json: upstream <timeout>"), "\(message)")
    }
}
