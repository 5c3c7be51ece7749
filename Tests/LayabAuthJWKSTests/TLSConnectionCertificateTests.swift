import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import Testing

/// `SenderConstraints.CertificateSource.tlsConnection`: the DER a server integration read from the TLS
/// connection (`RequestCredentials.clientCertificateDER`) proves a certificate-bound token (RFC 8705 §3).
@Suite("Client certificate of the TLS connection")
struct TLSConnectionCertificateTests {
    let authority: TestCertificateAuthority
    let alice: TestCertificateAuthority.Issued
    let bob: TestCertificateAuthority.Issued
    let issuer: TestIssuer

    init() throws {
        authority = try TestCertificateAuthority()
        alice = try authority.client("alice")
        bob = try authority.client("bob")
        issuer = try TestIssuer()
    }

    func verify(certificateDER: [UInt8]?, source: SenderConstraints.CertificateSource) async throws -> VerifiedToken? {
        let jwks = try issuer.serve()
        defer { jwks.stop() }
        let verifier = try JWKSVerifier(jwksURI: jwks.url("/jwks.json"))
        let token = try issuer.certificateBoundToken(thumbprint: try TestCertificateAuthority.opensslThumbprint(ofCertificateFile: alice.certificatePath),
                                                     claims: ["sub": "alice"])
        let request = RequestCredentials(authorizationValues: ["Bearer \(token)"], method: "GET", target: "/me", clientCertificateDER: certificateDER)
        return try await verifier.verify(request, constraints: SenderConstraints(origin: "https://127.0.0.1", clientCertificate: source))
    }

    @Test("the certificate the token is bound to proves it")
    func matching() async throws {
        let der = try TestCertificateAuthority.der(ofCertificateFile: alice.certificatePath)
        let token = try #require(try await verify(certificateDER: der, source: .tlsConnection))
        #expect(token.binding == .certificate(x5tS256: try TestCertificateAuthority.opensslThumbprint(ofCertificateFile: alice.certificatePath)))
    }

    @Test("another client's certificate is refused naming x5t#S256")
    func another() async throws {
        let der = try TestCertificateAuthority.der(ofCertificateFile: bob.certificatePath)
        let error = await #expect(throws: LayabAuthError.self) { try await verify(certificateDER: der, source: .tlsConnection) }
        #expect(error?.oauthError == "invalid_token")
        #expect(error?.message.contains("x5t#S256") == true)
    }

    @Test("no certificate on the connection: the bound token is refused")
    func none() async throws {
        let error = await #expect(throws: LayabAuthError.self) { try await verify(certificateDER: nil, source: .tlsConnection) }
        #expect(error?.oauthError == "invalid_token")
    }

    @Test("a connection certificate is not read unless the constraints name the TLS connection")
    func notRead() async throws {
        let der = try TestCertificateAuthority.der(ofCertificateFile: alice.certificatePath)
        let error = await #expect(throws: LayabAuthError.self) { try await verify(certificateDER: der, source: .none) }
        #expect(error?.oauthError == "invalid_token")
    }

    @Test("bytes that are not a certificate are refused as invalid_request")
    func notACertificate() async throws {
        let error = await #expect(throws: LayabAuthError.self) { try await verify(certificateDER: [0x30, 0x03, 0x02, 0x01, 0x01], source: .tlsConnection) }
        #expect(error?.oauthError == "invalid_request")
    }
}
