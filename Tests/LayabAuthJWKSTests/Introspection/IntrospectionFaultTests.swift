import Foundation
import LayabAuth
@testable import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// An introspection endpoint that gives no usable answer: 503 with Retry-After, never the token's fault, never cached.
@Suite("Introspection endpoint faults")
struct IntrospectionFaultTests {
    static let fast = HTTPOptions(connectTimeout: 1, totalTimeout: 1, maximumBodySize: 4096)

    func verifier(_ server: TestHTTPServer) throws -> IntrospectionVerifier {
        try IntrospectionVerifier(endpoint: .url(server.url("/introspect")), clientID: "rs", authentication: .post(secret: "s"),
                                  options: Self.fast)
    }

    static let faults: [(String, TestHTTPServer.Response, String)] = [
        ("500", .json(#"{"error":"server_error"}"#, status: 500), "HTTP 500"),
        ("garbage", TestHTTPServer.Response(body: Array("<html>oops</html>".utf8)), "no JSON"),
        ("not an object", .json("[1]"), "not a JSON object"),
        ("no active", .json(#"{"sub":"x"}"#), "without \"active\""),
        ("active not a boolean", .json(#"{"active":"true"}"#), "not a boolean"),
        ("huge", .json(#"{"active":true,"pad":""# + String(repeating: "a", count: 10_000) + #""}"#), "limit"),
        ("slow", TestHTTPServer.Response(body: Array(#"{"active":true}"#.utf8), delay: 3), "timed out"),
    ]

    @Test("a fault is introspection_unavailable with Retry-After and the cause in the message", arguments: faults)
    func fault(_ name: String, response: TestHTTPServer.Response, cause: String) async throws {
        let server = try TestHTTPServer { _ in response }
        defer { server.stop() }
        let verifier = try verifier(server)
        let error = await #expect(throws: LayabAuthError.self, "\(name)") { try await verifier.verify("opaque-token") }
        #expect(error?.code == .introspectionUnavailable, "\(name)")
        #expect(error?.message.contains(cause) == true, "\(name): \(error?.message ?? "")")
        let challenge = try #require(error?.challenge())
        #expect(challenge.status == 503 && challenge.headers.contains { $0.name == "Retry-After" && $0.value == "10" })
        #expect(!challenge.body.contains("127.0.0.1"))
        // Failures are not cached: the next request asks again.
        _ = try? await verifier.verify("opaque-token")
        #expect(server.requestCount(path: "/introspect") == 2, "\(name)")
    }

    @Test("an endpoint that is down is introspection_unavailable: connection refused")
    func down() async throws {
        let server = try TestHTTPServer { _ in .json("{}") }
        let verifier = try verifier(server)
        server.stop()
        let error = await #expect(throws: LayabAuthError.self) { try await verifier.verify("opaque-token") }
        #expect(error?.code == .introspectionUnavailable && error?.httpStatus == 503)
        #expect(error?.message.contains("connection refused") == true, "\(error?.message ?? "")")
    }

    @Test("the token and the client's secret never appear in an error, even from an endpoint that echoes them",
          arguments: ["post", "basic"])
    func tokenNotInErrors(_ method: String) async throws {
        let token = "very-secret-opaque-token/+="
        let secret = "client-secret-that-must-not-leak"
        let server = try TestHTTPServer { request in
            // An endpoint that echoes the request, body and Authorization header, in its error page.
            .json(String(decoding: request.body, as: UTF8.self) + " " + (request.headers["authorization"] ?? ""), status: 500)
        }
        defer { server.stop() }
        let verifier = try IntrospectionVerifier(endpoint: .url(server.url("/introspect")), clientID: "rs",
                                                 authentication: method == "post" ? .post(secret: secret) : .basic(secret: secret), options: Self.fast)
        let error = await #expect(throws: LayabAuthError.self) { try await verifier.verify(token) }
        #expect(error?.challenge().body.contains(token) == false)
        let message = error?.message ?? ""
        for leak in [token, FormEncoding.escape(token), secret] { #expect(!message.contains(leak), "\(message)") }
        #expect(message.contains("[redacted]"), "\(message)")
        if method == "basic" { #expect(!message.contains("cnM6Y2xpZW50"), "the Basic credential, base64 of rs:client-…: \(message)") }
    }
}
