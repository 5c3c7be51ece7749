import Foundation
import LayabAuth
@testable import LayabAuthJWKS
import LayabAuthTesting

/// A loopback authorization server's introspection endpoint: it answers for the tokens it knows, checks the
/// client's Basic credentials, and counts the requests it receives.
final class IntrospectionProvider: Sendable {
    let server: TestHTTPServer
    private let answers = Locked<[String: JSONObject]>([:])
    static let clientID = "resource-server"
    static let secret = "s3cret-for-introspection"

    init(delay: Double = 0) throws {
        let answers = answers
        server = try TestHTTPServer { request in
            guard request.path == "/introspect" else { return TestHTTPServer.Response(status: 404) }
            let expected = "Basic " + Data("\(Self.clientID):\(Self.secret)".utf8).base64EncodedString()
            guard request.headers["authorization"] == expected else { return .json(#"{"error":"invalid_client"}"#, status: 401) }
            let form = FormEncoding.decode(String(decoding: request.body, as: UTF8.self))
            guard let token = form.first(where: { $0.name == "token" })?.value,
                  form.contains(where: { $0.name == "token_type_hint" && $0.value == "access_token" }) else {
                return .json(#"{"error":"invalid_request"}"#, status: 400)
            }
            var response = TestHTTPServer.Response.json(JSONValue.object(answers.withLock { $0[token] } ?? ["active": false]).jsonText)
            response.delay = delay
            return response
        }
    }

    deinit { server.stop() }

    var url: String { server.url("/introspect") }
    var requestCount: Int { server.requestCount(path: "/introspect") }

    /// Makes `token` known, with this answer (`active: true` added).
    func activate(_ token: String, _ members: JSONObject) {
        var members = members
        members["active"] = true
        answers.withLock { $0[token] = members }
    }

    func revoke(_ token: String) { _ = answers.withLock { $0.removeValue(forKey: token) } }

    func verifier(configuration: VerifierConfiguration, cache: IntrospectionCache? = nil, options: HTTPOptions = HTTPOptions()) throws -> IntrospectionVerifier {
        try IntrospectionVerifier(endpoint: .url(url), clientID: Self.clientID, authentication: .basic(secret: Self.secret),
                                  configuration: configuration, options: options, cache: cache)
    }
}
