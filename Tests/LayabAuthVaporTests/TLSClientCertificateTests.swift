#if Vapor
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import LayabAuthVapor
import NIOSSL
import TestSupport
import Testing
import Vapor

/// Certificate-bound tokens (RFC 8705) on a Vapor application that terminates mutual TLS itself:
/// `curl --cert` presents a client certificate of the test CA, the token is bound to one of them.
@Suite("Vapor: client certificate of the TLS connection", .serialized)
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

        let app = try await Application.make(.testing)
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(authority.server.certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: authority.server.privateKeyPath, format: .pem)))
        tls.certificateVerification = .noHostnameVerification
        app.http.server.configuration.tlsConfiguration = tls
        // Vapor fills `peerCertificateChain` only through this callback, which replaces OpenSSL's own chain
        // check: an application verifies the chain there (swift-certificates' `Verifier`). This test keeps
        // only what the binding check needs: the leaf the client proved it holds the key of.
        app.http.server.configuration.customCertificateVerifyCallbackWithMetadata = { certificates, promise in
            guard !certificates.isEmpty else { return promise.succeed(.failed) }
            promise.succeed(.certificateVerified(VerificationMetadata(NIOSSL.ValidatedCertificateChain(certificates))))
        }
        app.grouped(BearerTokenAuthenticator(verifier: verifier, senderConstraints: SenderConstraints(
            origin: "https://127.0.0.1", clientCertificate: .tlsConnection)), RequireBearerToken())
            .get("me") { req in try req.auth.require(VerifiedToken.self).claims.subject ?? "" }
        do {
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)

            let matching = try await MutualTLSRequest.get(port: port, path: "/me", authority: authority, client: alice, authorization: "Bearer \(token)")
            #expect(matching.status == 200)
            #expect(matching.body == "alice")

            let other = try await MutualTLSRequest.get(port: port, path: "/me", authority: authority, client: bob, authorization: "Bearer \(token)")
            #expect(other.status == 401)
            #expect(other.body.contains("invalid_token"))
            #expect(other.body.contains("x5t#S256"))

            // The server requires a client certificate: the handshake fails without one.
            await #expect(throws: MutualTLSProbe.Failed.self) {
                try await MutualTLSRequest.get(port: port, path: "/me", authority: authority, client: nil, authorization: "Bearer \(token)")
            }
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
