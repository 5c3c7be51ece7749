import LayabAuth
@testable import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// The form POST that token requests use: the same libcurl options and limits as key retrieval.
@Suite("Form POST over libcurl")
struct FormPostTests {
    @Test("the body is form-encoded with its content type; names may repeat; extra headers are sent")
    func body() async throws {
        let server = try TestHTTPServer { _ in .json(#"{"ok":true}"#) }
        defer { server.stop() }
        let response = try await HTTPClient.post(server.url("/token"), form: [("grant_type", "client_credentials"), ("scope", "read write"),
                                                                             ("resource", "https://a/?x=1&y"), ("resource", "é")],
                                                 headers: ["Authorization: Basic abc"], options: HTTPOptions())
        #expect(response.status == 200)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(request.headers["authorization"] == "Basic abc")
        #expect(String(decoding: request.body, as: UTF8.self)
            == "grant_type=client_credentials&scope=read%20write&resource=https%3A%2F%2Fa%2F%3Fx%3D1%26y&resource=%C3%A9")
        let decoded = FormEncoding.decode(String(decoding: request.body, as: UTF8.self))
        #expect(decoded.map(\.value) == ["client_credentials", "read write", "https://a/?x=1&y", "é"])
    }

    @Test("a body over 1 KiB arrives whole, with no Expect: 100-continue to wait a second on")
    func largeBody() async throws {
        let server = try TestHTTPServer { _ in .json("{}") }
        defer { server.stop() }
        let value = String(repeating: "a", count: 4000)
        _ = try await HTTPClient.post(server.url("/token"), form: [("client_assertion", value)], options: HTTPOptions())
        let request = try #require(server.requests.first)
        // older libcurl sends "Expect: 100-continue" for such a body unless told not to, then waits a second.
        #expect(request.headers["expect"] == nil)
        #expect(request.body.count == "client_assertion=".count + 4000)
    }

    @Test("307 and 308 repeat the POST with its body at the new location")
    func repeatingRedirect() async throws {
        let server = try TestHTTPServer { _ in .json("{}") }
        defer { server.stop() }
        let target = server.url("/moved")
        server.setHandler { request in
            request.path == "/token" ? TestHTTPServer.Response(status: 307, headers: [("Location", target)]) : .json(#"{"at":"moved"}"#)
        }
        let response = try await HTTPClient.post(server.url("/token"), form: [("a", "b")], options: HTTPOptions())
        #expect(response.status == 200)
        #expect(response.url == target)
        let moved = try #require(server.requests.last)
        #expect(moved.method == "POST" && moved.path == "/moved" && moved.body == Array("a=b".utf8))
    }

    @Test("a 302 is the answer, not followed: following would turn the POST into a GET without the form")
    func otherRedirect() async throws {
        let server = try TestHTTPServer { _ in .json("{}") }
        defer { server.stop() }
        let target = server.url("/login")
        server.setHandler { _ in TestHTTPServer.Response(status: 302, headers: [("Location", target)]) }
        let response = try await HTTPClient.post(server.url("/token"), form: [("a", "b")], options: HTTPOptions())
        #expect(response.status == 302)
        #expect(server.requests.count == 1)
    }

    @Test("the body size cap and the timeouts of key retrieval apply, named as a POST")
    func limits() async throws {
        let server = try TestHTTPServer { _ in .json(String(repeating: " ", count: 5000)) }
        defer { server.stop() }
        await #expect {
            _ = try await HTTPClient.post(server.url("/token"), form: [("a", "b")], options: HTTPOptions(maximumBodySize: 1000))
        } throws: { error in
            (error as? LayabAuthError)?.message == "cannot post to \(server.url("/token")): the response body is larger than the 1000-byte limit"
        }
        server.setHandler { _ in TestHTTPServer.Response(stall: true) }
        await #expect {
            _ = try await HTTPClient.post(server.url("/token"), form: [("a", "b")], options: HTTPOptions(totalTimeout: 0.3))
        } throws: { error in
            (error as? LayabAuthError)?.message.hasPrefix("cannot post to \(server.url("/token")): timed out") == true
        }
    }
}
