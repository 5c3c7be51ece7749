#if Vapor
import LayabAuth
import LayabAuthVapor
import NIOSSL
import TestSupport
import Testing
import Vapor

/// Certificate-bound tokens (RFC 8705) on a Vapor application that terminates mutual TLS itself:
/// `curl --cert` presents client certificates of the test CA.
@Suite("Vapor: client certificate of the TLS connection", .serialized)
struct TLSClientCertificateTests {
    @Test("the certificate the token is bound to passes; another client's is refused naming x5t#S256")
    func boundToTheConnectionCertificate() async throws {
        let clients = try CertificateBoundClients()
        let app = try await Application.make(.testing)
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(clients.authority.server.certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: clients.authority.server.privateKeyPath, format: .pem)))
        tls.certificateVerification = .noHostnameVerification
        app.http.server.configuration.tlsConfiguration = tls
        // Vapor fills `peerCertificateChain` only through this callback, which replaces OpenSSL's own chain
        // check: an application verifies the chain there (swift-certificates' `Verifier`). This test keeps
        // only what the binding check needs: the leaf the client proved it holds the key of.
        app.http.server.configuration.customCertificateVerifyCallbackWithMetadata = { certificates, promise in
            guard !certificates.isEmpty else { return promise.succeed(.failed) }
            promise.succeed(.certificateVerified(VerificationMetadata(NIOSSL.ValidatedCertificateChain(certificates))))
        }
        app.grouped(BearerTokenAuthenticator(verifier: clients.verifier, senderConstraints: SenderConstraints(
            origin: "https://127.0.0.1", clientCertificate: .tlsConnection)), RequireBearerToken())
            .get("me") { req in try req.auth.require(VerifiedToken.self).claims.subject ?? "" }
        do {
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            try await clients.expectBoundToAlice(port: port, path: "/me")
        } catch {
            await app.server.shutdown()
            try await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}
#endif
