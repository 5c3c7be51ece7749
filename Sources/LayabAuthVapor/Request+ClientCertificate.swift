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
        guard let chain = peerCertificateChain else { return nil }
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(chain.leaf)) != nil else { return nil }
        return serializer.serializedBytes
    }
}
#endif
