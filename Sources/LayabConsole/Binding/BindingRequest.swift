import LayabAuth

/// The request a token is checked with for its binding: a DPoP proof with the method and URL it is sent to,
/// a TLS client certificate, and the nonce the server handed out. What `layabauth verify --dpop` and the
/// inspector (`--dpop`, its `P` and `R` prompts) hold.
package struct BindingRequest: Sendable, Equatable {
    /// The `DPoP` header; nil: the token is sent as Bearer.
    package var proof: String?
    package var method: String
    /// The request's absolute URL as the server sees it.
    package var uri: String
    /// base64url(SHA-256(DER)) of the client certificate (RFC 8705 §3.1), when the request has one.
    package var clientCertificateThumbprint: String?
    /// The nonce the server handed out (`DPoP-Nonce`); nil: the server requires none.
    package var nonce: String?

    package init(proof: String? = nil, method: String = "GET", uri: String = "", clientCertificateThumbprint: String? = nil, nonce: String? = nil) {
        self.proof = proof
        self.method = method
        self.uri = uri
        self.clientCertificateThumbprint = clientCertificateThumbprint
        self.nonce = nonce
    }

    /// Whether the request carries anything to bind to: a proof or a certificate.
    package var isGiven: Bool { proof != nil || clientCertificateThumbprint != nil }

    /// The request as the binding rules see it.
    package var presentation: TokenPresentation {
        TokenPresentation(scheme: proof == nil ? .bearer : .dpop, dpopProofs: proof.map { [$0] } ?? [], method: method, uri: uri,
                          clientCertificateThumbprint: clientCertificateThumbprint)
    }

    /// The policy of a server with default settings and this request's nonce. Its replay store is never
    /// written: a report does not record the proof, which the request still needs.
    package var policy: SenderConstraintPolicy {
        SenderConstraintPolicy(nonceSource: nonce.map { GivenNonceSource($0) })
    }
}
