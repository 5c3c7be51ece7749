/// What a server integration needs to check sender-constrained tokens on its routes: the
/// ``SenderConstraintPolicy``, the origin clients call (for a DPoP proof's `htu`), and where the client
/// certificate of a certificate-bound token comes from.
///
/// ```swift
/// let constraints = SenderConstraints(policy: SenderConstraintPolicy(), origin: "https://api.example",
///                                     clientCertificate: .header(.nginx("X-SSL-Client-Cert")))
/// ```
///
/// Without it (``bearerOnly``) a server accepts Bearer tokens only, and still refuses a token bound to a key
/// or a certificate it cannot see proven: a DPoP-bound token sent as Bearer, a certificate-bound one without
/// a client certificate.
public struct SenderConstraints: Sendable {
    /// Where the TLS client certificate of a request is read from.
    public enum CertificateSource: Sendable {
        /// Nowhere: certificate-bound tokens are refused.
        case none
        /// A header a TLS-terminating proxy sets (and strips from what clients send): the operator names it and
        /// trusts it. A request carrying it twice is refused.
        case header(ClientCertificateHeader)
        /// The TLS connection the application terminates itself: the integration reads the leaf certificate
        /// the client presented into ``RequestCredentials/clientCertificateDER``. The TLS server must ask for
        /// (and verify) client certificates; a connection without one carries no certificate.
        case tlsConnection
    }

    public var policy: SenderConstraintPolicy
    /// The scheme and authority clients call (`https://api.example`, no path): a proof's `htu` must be this
    /// origin followed by the request's path (RFC 9449 §4.3). Configured, never read from the request's `Host`
    /// header, which the client chooses. Nil refuses DPoP proofs (`invalid_dpop_proof`).
    public var origin: String?
    public var clientCertificate: CertificateSource

    public init(policy: SenderConstraintPolicy = SenderConstraintPolicy(), origin: String?, clientCertificate: CertificateSource = .none) {
        self.policy = policy
        self.origin = origin
        self.clientCertificate = clientCertificate
    }

    /// Bearer tokens only: no DPoP, no client certificate, no replay store. What a server uses when it is
    /// given no constraints.
    public static let bearerOnly = SenderConstraints(policy: SenderConstraintPolicy(acceptsDPoP: false, replayStore: nil), origin: nil)

    /// These constraints, requiring every token to be sender-constrained (the route option).
    public func requiringSenderConstraint(_ required: Bool = true) -> SenderConstraints {
        var constraints = self
        constraints.policy = policy.requiringSenderConstraint(required)
        return constraints
    }

    /// Whether a credential of `scheme` is this server's to verify: Bearer always, DPoP when accepted.
    /// Another scheme is another authenticator's business.
    public func accepts(_ scheme: TokenPresentation.Scheme) -> Bool { scheme == .bearer || policy.acceptsDPoP }

    /// How `request` carried `credential`.
    /// - Throws: `invalid_request` for a client certificate header sent twice or unreadable; `invalid_dpop_proof`
    ///   for a DPoP request to a server with no ``origin``.
    public func presentation(of credential: AuthorizationCredential, in request: RequestCredentials) throws(LayabAuthError) -> TokenPresentation {
        var thumbprint: String?
        if case let .header(header) = clientCertificate, !request.certificateHeaderValues.isEmpty {
            guard request.certificateHeaderValues.count == 1 else {
                throw LayabAuthError(.invalidRequest, "the request carries \(request.certificateHeaderValues.count) \(header.name) headers; one client certificate is allowed")
            }
            thumbprint = try header.certificate(from: request.certificateHeaderValues[0]).x5tS256
        } else if case .tlsConnection = clientCertificate, let der = request.clientCertificateDER {
            thumbprint = try ClientCertificate(der: der).x5tS256
        }
        let path = request.target.prefix { $0 != "?" && $0 != "#" }
        let uri: String
        if let origin {
            uri = (origin.hasSuffix("/") ? String(origin.dropLast()) : origin) + (path.hasPrefix("/") ? String(path) : "/" + path)
        } else if credential.scheme == .dpop {
            throw LayabAuthError(.invalidDPoPProof, "the server has no origin configured to check a DPoP proof's htu against",
                                 clientMessage: "DPoP proofs cannot be checked here")
        } else {
            uri = String(path)
        }
        return TokenPresentation(scheme: credential.scheme, dpopProofs: request.dpopHeaderValues, method: request.method, uri: uri,
                                 clientCertificateThumbprint: thumbprint)
    }

    /// Whether the client certificate is read from the TLS connection the application terminates.
    public var readsTLSConnection: Bool {
        if case .tlsConnection = clientCertificate { true } else { false }
    }

    /// The header a ``CertificateSource/header(_:)`` source reads; nil for none.
    public var certificateHeaderName: String? {
        if case let .header(header) = clientCertificate { header.name } else { nil }
    }
}

/// The parts of an HTTP request that carry or prove its credentials, as a server integration reads them.
public struct RequestCredentials: Sendable {
    /// Every `Authorization` header value.
    public var authorizationValues: [String]
    /// Every `DPoP` header value.
    public var dpopHeaderValues: [String]
    /// The method, e.g. `GET`.
    public var method: String
    /// The request target: its path, with any query.
    public var target: String
    /// Every value of the client certificate header the constraints name (empty without one).
    public var certificateHeaderValues: [String]
    /// The DER of the leaf certificate the client presented on the TLS connection the application
    /// terminates, for a ``SenderConstraints/CertificateSource/tlsConnection`` source (nil without one).
    public var clientCertificateDER: [UInt8]?

    public init(authorizationValues: [String], dpopHeaderValues: [String] = [], method: String, target: String,
                certificateHeaderValues: [String] = [], clientCertificateDER: [UInt8]? = nil)
    {
        self.authorizationValues = authorizationValues
        self.dpopHeaderValues = dpopHeaderValues
        self.method = method
        self.target = target
        self.certificateHeaderValues = certificateHeaderValues
        self.clientCertificateDER = clientCertificateDER
    }
}
