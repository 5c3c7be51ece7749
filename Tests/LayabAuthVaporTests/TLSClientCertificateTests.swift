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
        try await withServer(clients) { port in
            try await clients.expectBoundToAlice(port: port, path: "/me")
        }
    }

    @Test("ClientCertificateVerifier: a client certificate of another CA fails the handshake, even with a token bound to it")
    func anotherAuthorityIsRefused() async throws {
        let clients = try CertificateBoundClients()
        let otherAuthority = try TestCertificateAuthority()
        let mallory = try otherAuthority.client("mallory")
        let boundToMallory = try clients.issuer.certificateBoundToken(
            thumbprint: try TestCertificateAuthority.opensslThumbprint(ofCertificateFile: mallory.certificatePath), claims: ["sub": "mallory"])
        try await withServer(clients) { port in
            await #expect(throws: MutualTLSProbe.Failed.self) {
                try await MutualTLSRequest.get(port: port, path: "/me", authority: clients.authority, client: mallory,
                                               authorization: "Bearer \(boundToMallory)")
            }
            // The same server still serves a trusted client: the refusal is the chain, not the server.
            let alice = try await MutualTLSRequest.get(port: port, path: "/me", authority: clients.authority, client: clients.alice,
                                                       authorization: "Bearer \(clients.token)")
            #expect(alice.status == 200)
        }
    }

    @Test("ClientCertificateVerifier reads its trust roots from a PEM file, and refuses a file without a certificate")
    func trustRootsFile() throws {
        let clients = try CertificateBoundClients()
        #expect(try ClientCertificateVerifier(trustRootsPEMFile: clients.authority.authority.certificatePath).trustRoots.count == 1)
        #expect(throws: LayabAuthError.self) {
            try ClientCertificateVerifier(trustRootsPEMFile: clients.authority.authority.privateKeyPath)
        }
    }

    /// A Vapor app on 127.0.0.1 that terminates mutual TLS, verifying client certificates with
    /// ``ClientCertificateVerifier`` against the test CA, and answers `GET /me` with the token's subject.
    private func withServer(_ clients: CertificateBoundClients, _ body: (Int) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(clients.authority.server.certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: clients.authority.server.privateKeyPath, format: .pem)))
        tls.certificateVerification = .noHostnameVerification
        app.http.server.configuration.tlsConfiguration = tls
        app.http.server.configuration.customCertificateVerifyCallbackWithMetadata =
            try ClientCertificateVerifier(trustRootsPEMFile: clients.authority.authority.certificatePath).callback
        app.grouped(BearerTokenAuthenticator(verifier: clients.verifier, senderConstraints: SenderConstraints(
            origin: "https://127.0.0.1", clientCertificate: .tlsConnection)), RequireBearerToken())
            .get("me") { req in try req.auth.require(VerifiedToken.self).claims.subject ?? "" }
        try await app.serving(body)
    }
}
#endif
