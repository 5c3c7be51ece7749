#if Vapor
import LayabAuth
import NIOSSL
import Vapor
import X509

/// Verifies the client certificates of a Vapor server that terminates mutual TLS itself, and keeps the
/// verified chain so that `Request.peerCertificateChain` (and with it
/// `SenderConstraints.CertificateSource.tlsConnection`) sees the client's certificate.
///
/// Vapor fills `peerCertificateChain` only through
/// `HTTPServer.Configuration.customCertificateVerifyCallbackWithMetadata`, which replaces OpenSSL's own chain
/// check. This is that callback, doing the check: the chain the client presents must lead to one of
/// `trustRoots` under RFC 5280 path validation (signatures, validity periods, basic constraints, key usage,
/// name constraints) at the time of the handshake. A client without a certificate, or with one that does not
/// validate, fails the handshake.
///
/// ```swift
/// app.http.server.configuration.tlsConfiguration = tls     // certificateVerification: .noHostnameVerification
/// app.http.server.configuration.customCertificateVerifyCallbackWithMetadata =
///     try ClientCertificateVerifier(trustRootsPEMFile: "/etc/api/client-ca.pem").callback
/// ```
public struct ClientCertificateVerifier: Sendable {
    /// The certificate authorities a client certificate must chain to.
    public let trustRoots: [X509.Certificate]

    public init(trustRoots: [X509.Certificate]) {
        self.trustRoots = trustRoots
    }

    /// The certificate authorities of a PEM file (one or more `CERTIFICATE` blocks).
    /// - Throws: `LayabAuthError` `invalid_configuration` when the file cannot be read or holds no certificate.
    public init(trustRootsPEMFile path: String) throws {
        let roots: [X509.Certificate]
        do {
            roots = try NIOSSLCertificate.fromPEMFile(path).map { try X509.Certificate(derEncoded: $0.toDERBytes()) }
        } catch {
            throw LayabAuthError(.invalidConfiguration, "the trust roots \(path) could not be read as PEM certificates (\(error))")
        }
        guard !roots.isEmpty else { throw LayabAuthError(.invalidConfiguration, "the trust roots \(path) hold no certificate") }
        self.init(trustRoots: roots)
    }

    /// The callback for `customCertificateVerifyCallbackWithMetadata`.
    public var callback: @Sendable ([NIOSSLCertificate], EventLoopPromise<NIOSSLVerificationResultWithMetadata>) -> Void {
        let roots = trustRoots
        return { presented, promise in
            promise.completeWithTask { await Self.verify(presented, trustRoots: roots) }
        }
    }

    /// The chain from the client's leaf (`presented[0]`, then what the client sent to help build the chain)
    /// to a trust root, or `.failed`.
    static func verify(_ presented: [NIOSSLCertificate], trustRoots: [X509.Certificate]) async -> NIOSSLVerificationResultWithMetadata {
        guard let certificates = try? presented.map({ try X509.Certificate(derEncoded: $0.toDERBytes()) }),
              let leaf = certificates.first
        else { return .failed }
        var verifier = Verifier(rootCertificates: CertificateStore(trustRoots)) { RFC5280Policy() }
        guard case let .validCertificate(chain) = await verifier.validate(leaf: leaf, intermediates: CertificateStore(certificates.dropFirst())),
              let validated = try? chain.map({ try NIOSSLCertificate(bytes: $0.derBytes(), format: .der) })
        else { return .failed }
        return .certificateVerified(VerificationMetadata(NIOSSL.ValidatedCertificateChain(validated)))
    }
}
#endif
