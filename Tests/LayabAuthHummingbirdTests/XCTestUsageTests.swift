#if Hummingbird
import HTTPTypes
import Hummingbird
@testable import HummingbirdExample
import HummingbirdTesting
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import XCTest

/// LayabAuthTesting from XCTest, as README promises: the test issuer's keys over loopback HTTP, and the
/// authentication mock, both through the example application on Hummingbird's live server.
final class XCTestUsageTests: XCTestCase {
    static func application(_ verifier: any TokenVerifying) -> some ApplicationProtocol {
        Application(router: buildRouter(verifier: verifier), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func get(_ client: some TestClientProtocol, _ path: String, authorization: String? = nil) async throws -> TestResponse {
        var headers = HTTPFields()
        if let authorization { headers[.authorization] = authorization }
        return try await client.execute(uri: path, method: .get, headers: headers)
    }

    func testIssuerTokensVerifyAgainstKeysServedOverLoopback() async throws {
        let issuer = try TestIssuer()
        let server = try issuer.serve()
        defer { server.stop() }
        let verifier = try JWKSVerifier(jwksURI: server.url("/jwks.json"))
        let reader = try issuer.token(claims: ["sub": "alice", "scope": "read"], algorithm: .es256)
        try await Self.application(verifier).test(.live) { client in
            let me = try await Self.get(client, "/me", authorization: "Bearer \(reader)")
            XCTAssertEqual(me.status, .ok)
            let body = try JSONParser.parse(Array(buffer: me.body))
            XCTAssertEqual(body["sub"], "alice")
            XCTAssertEqual(body["scopes"], ["read"])

            let admin = try await Self.get(client, "/admin", authorization: "Bearer \(reader)")
            XCTAssertEqual(admin.status, .forbidden)
            XCTAssertEqual(try JSONParser.parse(Array(buffer: admin.body))["error"], "insufficient_scope")

            let forged = try await Self.get(client, "/me", authorization: "Bearer \(try issuer.forged(.tamperedSignature))")
            XCTAssertEqual(forged.status, .unauthorized)
            XCTAssertTrue(forged.headers[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true, "\(forged.headers)")
        }
        XCTAssertEqual(server.requestCount(path: "/jwks.json"), 1)
    }

    func testMockVerifierYieldsTheConfiguredTokenBody() async throws {
        let mock = try MockVerifier(tokenBody: ["sub": "test-user", "scope": "read admin"])
        try await Self.application(mock).test(.live) { client in
            let me = try await Self.get(client, "/me", authorization: "Bearer any-token-at-all")
            XCTAssertEqual(me.status, .ok)
            XCTAssertEqual(try JSONParser.parse(Array(buffer: me.body))["sub"], "test-user")
            let admin = try await Self.get(client, "/admin", authorization: "Bearer another")
            XCTAssertEqual(admin.status, .ok)
            // The mock still needs the header.
            let anonymous = try await Self.get(client, "/me")
            XCTAssertEqual(anonymous.status, .unauthorized)
        }
        let reader = try MockVerifier(tokenBody: ["sub": "reader", "scope": "read"])
        try await Self.application(reader).test(.live) { client in
            let admin = try await Self.get(client, "/admin", authorization: "Bearer x")
            XCTAssertEqual(admin.status, .forbidden)
            XCTAssertTrue(admin.headers[.wwwAuthenticate]?.contains(#"scope="admin""#) == true, "\(admin.headers)")
        }
    }
}
#endif
