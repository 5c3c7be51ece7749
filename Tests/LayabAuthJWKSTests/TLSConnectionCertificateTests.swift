import LayabAuth
import LayabAuthJWKS
import TestSupport
import Testing

/// `SenderConstraints.CertificateSource.tlsConnection`: the DER a server integration read from the TLS
/// connection (`RequestCredentials.clientCertificateDER`) proves a certificate-bound token (RFC 8705 §3).
@Suite("Client certificate of the TLS connection")
struct TLSConnectionCertificateTests {
    let clients: CertificateBoundClients

    init() throws { clients = try CertificateBoundClients() }

    func verify(certificateDER: [UInt8]?, source: SenderConstraints.CertificateSource) async throws -> VerifiedToken? {
        let request = RequestCredentials(authorizationValues: ["Bearer \(clients.token)"], method: "GET", target: "/me",
                                         clientCertificateDER: certificateDER)
        return try await clients.verifier.verify(request, constraints: SenderConstraints(origin: "https://127.0.0.1", clientCertificate: source))
    }

    @Test("the certificate the token is bound to proves it")
    func matching() async throws {
        let der = try TestCertificateAuthority.der(ofCertificateFile: clients.alice.certificatePath)
        let token = try #require(try await verify(certificateDER: der, source: .tlsConnection))
        #expect(token.binding == .certificate(x5tS256: try TestCertificateAuthority.opensslThumbprint(ofCertificateFile: clients.alice.certificatePath)))
    }

    @Test("another client's certificate is refused naming x5t#S256")
    func another() async throws {
        let der = try TestCertificateAuthority.der(ofCertificateFile: clients.bob.certificatePath)
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
        let der = try TestCertificateAuthority.der(ofCertificateFile: clients.alice.certificatePath)
        let error = await #expect(throws: LayabAuthError.self) { try await verify(certificateDER: der, source: .none) }
        #expect(error?.oauthError == "invalid_token")
    }

    @Test("bytes that are not a certificate are refused as invalid_request")
    func notACertificate() async throws {
        let error = await #expect(throws: LayabAuthError.self) { try await verify(certificateDER: [0x30, 0x03, 0x02, 0x01, 0x01], source: .tlsConnection) }
        #expect(error?.oauthError == "invalid_request")
    }
}
