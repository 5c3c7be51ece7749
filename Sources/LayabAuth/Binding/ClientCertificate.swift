/// A TLS client certificate, as a certificate-bound access token is bound to it (RFC 8705 §3).
///
/// Made from the DER the TLS stack saw, from PEM, or from the header a TLS-terminating proxy forwards it in
/// (see ``ClientCertificateHeader``). The bytes are checked to be one well-formed X.509 certificate with
/// OpenSSL; the thumbprint ``x5tS256`` is taken over exactly those bytes, as RFC 8705 §3.1 requires.
///
/// Input that is not a certificate is refused with `invalid_request` (400): a malformed client-certificate
/// header is a malformed request, whoever wrote it, and is never taken for "no certificate".
public struct ClientCertificate: Sendable, Hashable {
    /// The certificate's DER encoding, exactly as given.
    public let der: [UInt8]

    /// The largest DER accepted: far above any real client certificate (a few kilobytes), far below what
    /// would make parsing a cost an attacker controls.
    public static let maximumDERLength = 16 * 1024

    /// Reads one DER-encoded X.509 certificate.
    /// - Throws: `invalid_request` when the bytes are empty, larger than ``maximumDERLength``, not one
    ///   X.509 certificate, or followed by other bytes.
    public init(der: some Collection<UInt8>) throws(LayabAuthError) {
        let bytes = Array(der)
        guard !bytes.isEmpty else { throw Self.refused("the client certificate is empty") }
        guard bytes.count <= Self.maximumDERLength else {
            throw Self.refused("the client certificate is \(bytes.count) bytes of DER, more than the \(Self.maximumDERLength) accepted")
        }
        do { _ = try OpenSSLCertificate.fromDER(bytes) } catch {
            throw Self.refused("the client certificate is not a DER X.509 certificate (\(error))")
        }
        self.der = bytes
    }

    /// Reads the first `CERTIFICATE` block of PEM text; a chain (leaf first, as TLS sends it) gives its leaf.
    /// - Throws: `invalid_request` when there is no `-----BEGIN CERTIFICATE-----` block, its base64 is
    ///   broken, or it does not hold one X.509 certificate.
    public init(pem: String) throws(LayabAuthError) {
        try self.init(der: try PEMCertificateBlock.firstCertificateDER(in: pem))
    }

    /// The base64url (no padding) SHA-256 of the DER: the value of `cnf["x5t#S256"]` in a token bound to this
    /// certificate (RFC 8705 §3.1).
    public var x5tS256: String {
        // OpenSSL only fails to hash when it cannot load SHA-256 at all; an empty thumbprint then matches no token.
        SHA256.digest(der).map { Base64URL.encode($0) } ?? ""
    }

    /// The `invalid_request` error of a refused client certificate; the message names no configuration, so
    /// the client may be told all of it.
    static func refused(_ message: String) -> LayabAuthError {
        LayabAuthError(.invalidRequest, message)
    }
}
