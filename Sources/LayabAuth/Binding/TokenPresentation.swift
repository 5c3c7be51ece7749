/// How a request carried its access token: what the binding rules (`BindingRule.swift`) compare the token's
/// `cnf` with. A server builds one per request.
public struct TokenPresentation: Sendable, Hashable {
    /// The `Authorization` scheme (RFC 6750 §2.1, RFC 9449 §7.1).
    public enum Scheme: String, Sendable, Hashable {
        case bearer = "Bearer"
        case dpop = "DPoP"
    }

    public let scheme: Scheme
    /// Every `DPoP` header value of the request: exactly one is needed under the DPoP scheme, more than one
    /// is `invalid_dpop_proof` (RFC 9449 §4.3).
    public let dpopProofs: [String]
    /// The HTTP method, as the request line carries it (`GET`).
    public let method: String
    /// The request's absolute URI as the server reconstructs it (`https://api.example.com/orders?id=1`):
    /// scheme, host and port the client used, behind any proxy.
    public let uri: String
    /// base64url(SHA-256(DER)) of the TLS client certificate (RFC 8705 §3.1), when the request came with one.
    public let clientCertificateThumbprint: String?

    public init(scheme: Scheme, dpopProofs: [String] = [], method: String, uri: String, clientCertificateThumbprint: String? = nil) {
        self.scheme = scheme
        self.dpopProofs = dpopProofs
        self.method = method
        self.uri = uri
        self.clientCertificateThumbprint = clientCertificateThumbprint
    }
}

/// What a verified token is bound to, once its binding was proven for the request (RFC 7800 `cnf`).
public enum TokenBinding: Sendable, Hashable {
    /// A DPoP key: the RFC 7638 thumbprint of the proof's `jwk`, equal to the token's `cnf.jkt` (RFC 9449 §6).
    case dpop(jkt: String)
    /// A TLS client certificate: its SHA-256 thumbprint, equal to the token's `cnf.x5t#S256` (RFC 8705 §3).
    case certificate(x5tS256: String)
}
