#if HummingbirdTLS
import Hummingbird
import HummingbirdAuth
import HummingbirdTLS
import LayabAuth
import LayabAuthHummingbird
import NIOCore
import NIOSSL
import TestSupport
import Testing

/// Certificate-bound tokens (RFC 8705) on a Hummingbird application that terminates mutual TLS itself,
/// OpenSSL verifying client certificates against the test CA; `curl --cert` presents them.
@Suite("Hummingbird: client certificate of the TLS connection", .serialized)
struct TLSClientCertificateTests {
    @Test("the certificate the token is bound to passes; another client's is refused naming x5t#S256")
    func boundToTheConnectionCertificate() async throws {
        let clients = try CertificateBoundClients()
        let router = Router(context: TLSAuthRequestContext<VerifiedToken>.self)
        router.add(middleware: BearerTokenAuthenticator(verifier: clients.verifier, senderConstraints: SenderConstraints(
            origin: "https://127.0.0.1", clientCertificate: .tlsConnection)))
        router.add(middleware: RequireBearerToken())
        router.get("me") { _, context in try context.requireIdentity().claims.subject ?? "" }

        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(clients.authority.server.certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: clients.authority.server.privateKeyPath, format: .pem)))
        tls.trustRoots = .file(clients.authority.authority.certificatePath)
        tls.certificateVerification = .noHostnameVerification
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, server: try .tls(.http1(), tlsConfiguration: tls),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await clients.expectBoundToAlice(port: port, path: "/me")
            group.cancelAll()
        }
    }
}
#endif
