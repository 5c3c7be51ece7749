#if HummingbirdTLS
import Hummingbird
import HummingbirdAuth
import NIOCore
import NIOSSL

/// A request context that keeps the channel of the connection a request came on, so that
/// ``BearerTokenAuthenticator`` can read the client certificate of a TLS connection the application
/// terminates itself (`SenderConstraints.CertificateSource.tlsConnection`, RFC 8705 §3).
///
/// ``TLSAuthRequestContext`` is a ready-made one; an application context of its own conforms by keeping
/// `source.channel` in its `init(source:)`.
public protocol TLSConnectionRequestContext: RequestContext {
    /// The channel of the connection the request came on (`ApplicationRequestContextSource.channel`).
    var channel: any Channel { get }
}

extension TLSConnectionRequestContext {
    /// The DER of the leaf certificate the client presented on this connection; nil on a connection without
    /// TLS or without a client certificate. Over HTTP/2 the TLS handler sits on the stream's parent channel.
    func clientCertificateDER() async -> [UInt8]? {
        for channel in [channel, channel.parent].compactMap({ $0 }) {
            if let certificate = try? await channel.nioSSL_peerCertificate().get() {
                return try? certificate.toDERBytes()
            }
        }
        return nil
    }
}

/// `BasicAuthRequestContext` that also keeps the connection's channel: the context of a Hummingbird
/// application that terminates TLS itself and accepts certificate-bound tokens.
///
/// ```swift
/// let router = Router(context: TLSAuthRequestContext<VerifiedToken>.self)
/// router.add(middleware: BearerTokenAuthenticator(verifier: verifier, senderConstraints: SenderConstraints(
///     origin: "https://api.example", clientCertificate: .tlsConnection)))
/// ```
public struct TLSAuthRequestContext<Identity: Sendable>: AuthRequestContext, TLSConnectionRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated identity.
    public var identity: Identity?
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        channel = source.channel
    }
}
#endif
