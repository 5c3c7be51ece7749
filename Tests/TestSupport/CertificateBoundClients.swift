import Foundation
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// The material of certificate-bound token tests over mutual TLS: a CA with a server certificate, two
/// clients (alice, bob), an issuer whose keys a loopback JWKS server serves, and a token bound to alice's
/// certificate (its `cnf.x5t#S256` computed by OpenSSL's tools).
public final class CertificateBoundClients: Sendable {
    public let authority: TestCertificateAuthority
    public let alice: TestCertificateAuthority.Issued
    public let bob: TestCertificateAuthority.Issued
    public let issuer: TestIssuer
    public let jwks: TestHTTPServer
    public let verifier: JWKSVerifier
    /// A token for `sub: alice`, bound to alice's certificate.
    public let token: String

    public init() throws {
        authority = try TestCertificateAuthority()
        alice = try authority.client("alice")
        bob = try authority.client("bob")
        issuer = try TestIssuer()
        jwks = try issuer.serve()
        verifier = try JWKSVerifier(jwksURI: jwks.url("/jwks.json"))
        token = try issuer.certificateBoundToken(thumbprint: try TestCertificateAuthority.opensslThumbprint(ofCertificateFile: alice.certificatePath),
                                                 claims: ["sub": "alice"])
    }

    /// GETs `path` of a server on 127.0.0.1:`port` that requires client certificates of ``authority`` and
    /// answers with the subject: alice's certificate passes (200 `alice`), bob's is refused (401
    /// `invalid_token` naming `x5t#S256`), and without a certificate the handshake fails.
    public func expectBoundToAlice(port: Int, path: String) async throws {
        let matching = try await MutualTLSRequest.get(port: port, path: path, authority: authority, client: alice, authorization: "Bearer \(token)")
        #expect(matching.status == 200)
        #expect(matching.body == "alice")

        let other = try await MutualTLSRequest.get(port: port, path: path, authority: authority, client: bob, authorization: "Bearer \(token)")
        #expect(other.status == 401)
        #expect(other.body.contains("invalid_token"))
        #expect(other.body.contains("x5t#S256"))

        await #expect(throws: MutualTLSProbe.Failed.self) {
            try await MutualTLSRequest.get(port: port, path: path, authority: self.authority, client: nil, authorization: "Bearer \(self.token)")
        }
    }

    deinit { jwks.stop() }
}
