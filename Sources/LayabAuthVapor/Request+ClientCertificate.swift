#if Vapor
import SwiftASN1
import Vapor
import X509

extension Request {
    /// The DER of the leaf certificate the client presented on the TLS connection this application
    /// terminates; nil without TLS or without a client certificate.
    ///
    /// Vapor keeps the peer's chain (`peerCertificateChain`) only when the server verifies client
    /// certificates through `app.http.server.configuration.customCertificateVerifyCallbackWithMetadata`:
    /// with `certificateVerification` alone it is nil, and certificate-bound tokens are refused.
    var clientCertificateDER: [UInt8]? {
        try? peerCertificateChain?.leaf.derBytes()
    }
}

extension X509.Certificate {
    /// The certificate's DER encoding.
    func derBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}
#endif
