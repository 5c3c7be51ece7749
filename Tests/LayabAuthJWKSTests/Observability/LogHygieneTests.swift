import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import MetricsTestKit
import Testing

/// Issue 18: nothing LayabAuth logs carries a token, a proof, a client credential or a private key. Every path
/// that logs runs here at trace level into one recorder (key retrieval and its failures, an unknown kid,
/// refusals of each kind, a DPoP replay, introspection against endpoints that echo what they were sent), then
/// every line is scanned for each secret the scenario used. `make check` scans the suite's other log lines
/// (Tests/LogHygiene/scan.py).
@Suite("Log hygiene: no token, credential or private key in any log line", .serialized)
struct LogHygieneTests {
    @Test("every line logged across the paths that log holds none of the scenario's secrets")
    func noSecretsLogged() async throws {
        let logs = LogRecorder()
        let observability = Observability(logger: logs.logger(), metrics: TestMetrics())
        let issuer = try TestIssuer()
        let stranger = try TestIssuer(name: "https://stranger.test")
        var secrets: [String] = []

        // Keys over HTTP: a retrieval, a failing retrieval, an unknown kid.
        let keys = try issuer.serve()
        defer { keys.stop() }
        let verifier = try JWKSVerifier(jwksURI: keys.url("/jwks.json"), tokenCache: VerifiedTokenCache(), observability: observability)
        let valid = try issuer.token(claims: ["sub": "alice"])
        let expired = try issuer.token(claims: ["sub": "bob"], lifetime: -300)
        let tampered = try issuer.forged(.tamperedSignature, claims: ["sub": "carol"])
        let unknownKid = try stranger.token(claims: ["sub": "dave", "iss": .string(issuer.name)])
        secrets += [valid, expired, tampered, unknownKid]
        func request(_ token: String, scheme: String = "Bearer", proof: String? = nil) -> RequestCredentials {
            RequestCredentials(authorizationValues: ["\(scheme) \(token)"], dpopHeaderValues: proof.map { [$0] } ?? [], method: "GET", target: "/orders")
        }
        _ = try await verifier.verify(request(valid), constraints: .bearerOnly)
        for token in [expired, tampered, unknownKid, "not-a-jwt-but-secret-looking-0123456789"] {
            _ = try? await verifier.verify(request(token), constraints: .bearerOnly)
        }
        secrets.append("not-a-jwt-but-secret-looking-0123456789")

        // A DPoP-bound token and its proof, replayed.
        let dpopKey = try TestIssuer.dpopKey()
        let bound = try issuer.dpopBoundToken(to: dpopKey, claims: ["sub": "erin"])
        let proof = try TestIssuer.dpopProof(method: "GET", url: "https://api.test/orders", accessToken: bound, key: dpopKey)
        let constraints = SenderConstraints(origin: "https://api.test")
        _ = try await verifier.verify(request(bound, scheme: "DPoP", proof: proof), constraints: constraints)
        _ = try? await verifier.verify(request(bound, scheme: "DPoP", proof: proof), constraints: constraints)
        secrets += [bound, proof] + Self.pemLines(dpopKey)

        // The key endpoint fails: retrieval warnings.
        keys.setHandler { _ in .json(#"{"error":"server_error"}"#, status: 500) }
        _ = try? await verifier.source.forceRefresh()

        // Introspection against an endpoint that echoes the form and the Authorization header in its error
        // page, with each kind of client authentication.
        let echo = try TestHTTPServer { request in
            .json(String(decoding: request.body, as: UTF8.self) + " " + (request.headers["authorization"] ?? ""), status: 500)
        }
        defer { echo.stop() }
        let clientSecret = "client-secret-0123456789-abcdef"
        let clientKey = try SigningKey.generate(.es256, kid: "client-key")
        secrets += [clientSecret] + Self.pemLines(clientKey)
        for authentication in [ClientAuthentication.basic(secret: clientSecret), .post(secret: clientSecret), .privateKeyJWT(clientKey)] {
            let introspection = try IntrospectionVerifier(endpoint: .url(echo.url("/introspect")), clientID: "rs", authentication: authentication,
                                                          options: HTTPOptions(connectTimeout: 5, totalTimeout: 5), observability: observability)
            let opaque = "opaque-token-\(UUID().uuidString)"
            secrets.append(opaque)
            _ = try? await introspection.verify(request(opaque), constraints: .bearerOnly)
        }

        let lines = logs.entries.map(\.description)
        #expect(lines.count >= 15, "every path above logs: \(lines)")
        #expect(lines.contains { $0.hasPrefix("debug token refused: expired") })
        #expect(lines.contains { $0.hasPrefix("warning introspection failed") })
        #expect(lines.contains { $0.contains("retrieval failed") || $0.contains("HTTP 500") })
        for line in lines {
            for secret in secrets {
                #expect(!line.contains(secret), "a secret in: \(line)")
                // A token's signature alone would identify it as well as the token.
                if let signature = secret.split(separator: ".").last, secret.split(separator: ".").count == 3 {
                    #expect(!line.contains(signature), "a signature in: \(line)")
                }
            }
            #expect(!line.contains("PRIVATE KEY"), "\(line)")
            #expect(line.firstMatch(of: /eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{6,}/) == nil, "a compact JWS in: \(line)")
        }
    }

    /// The base64 lines of a private key's PEM: any of them in a log would be a piece of the key.
    static func pemLines(_ key: SigningKey) -> [String] {
        (key.privateKeyPEM ?? "").split(separator: "\n").filter { !$0.hasPrefix("-----") && $0.count >= 32 }.map(String.init)
    }
}
