#if Hummingbird
import Hummingbird
import HummingbirdAuth
import HummingbirdTLS
import LayabAuth
import LayabAuthHummingbird
import LayabAuthJWKS
import LayabAuthTesting
import NIOCore
import NIOSSL
import TestSupport
import Testing

/// Certificate-bound tokens (RFC 8705) on a Hummingbird application that terminates mutual TLS itself:
/// `curl --cert` presents a client certificate of the test CA, the token is bound to one of them.
@Suite("Hummingbird: client certificate of the TLS connection", .serialized)
struct TLSClientCertificateTests {
    @Test("the certificate the token is bound to passes; another client's is refused naming x5t#S256")
    func boundToTheConnectionCertificate() async throws {
        let authority = try TestCertificateAuthority()
        let alice = try authority.client("alice")
        let bob = try authority.client("bob")
        let issuer = try TestIssuer()
        let jwks = try issuer.serve()
        defer { jwks.stop() }
        let verifier = try JWKSVerifier(jwksURI: jwks.url("/jwks.json"))
        let token = try issuer.certificateBoundToken(thumbprint: try TestCertificateAuthority.opensslThumbprint(ofCertificateFile: alice.certificatePath),
                                                     claims: ["sub": "alice"])

        let router = Router(context: TLSAuthRequestContext<VerifiedToken>.self)
        router.add(middleware: BearerTokenAuthenticator(verifier: verifier, senderConstraints: SenderConstraints(
            origin: "https://127.0.0.1", clientCertificate: .tlsConnection)))
        router.add(middleware: RequireBearerToken())
        router.get("me") { _, context in try context.requireIdentity().claims.subject ?? "" }

        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(authority.server.certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: authority.server.privateKeyPath, format: .pem)))
        tls.trustRoots = .file(authority.authority.certificatePath)
        tls.certificateVerification = .noHostnameVerification
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, server: try .tls(.http1(), tlsConfiguration: tls),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())

            let matching = try await MutualTLSRequest.get(port: port, path: "/me", authority: authority, client: alice, authorization: "Bearer \(token)")
            #expect(matching.status == 200)
            #expect(matching.body == "alice")

            let other = try await MutualTLSRequest.get(port: port, path: "/me", authority: authority, client: bob, authorization: "Bearer \(token)")
            #expect(other.status == 401)
            #expect(other.body.contains("invalid_token"))
            #expect(other.body.contains("x5t#S256"))

            // The server requires a client certificate of the CA: the handshake fails without one.
            await #expect(throws: MutualTLSProbe.Failed.self) {
                try await MutualTLSRequest.get(port: port, path: "/me", authority: authority, client: nil, authorization: "Bearer \(token)")
            }
            group.cancelAll()
        }
    }
}
#endif
