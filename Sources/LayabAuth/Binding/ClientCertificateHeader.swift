import Foundation

/// The request header in which a TLS-terminating proxy forwards the client certificate, and its form.
///
/// Only a header the proxy always sets (and so overwrites when a client sends it) may be trusted: the operator
/// names it. The presets carry the header names the proxies use by default; nginx has none (the operator
/// writes `proxy_set_header X-SSL-Client-Cert $ssl_client_escaped_cert;`), so ``nginx(_:)`` takes one.
public struct ClientCertificateHeader: Sendable, Hashable {
    /// How a proxy writes the certificate into the header value.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// URL-encoded PEM: nginx `$ssl_client_escaped_cert`, AWS ALB `X-Amzn-Mtls-Clientcert`. A `+` is a
        /// `+` (base64), never a space.
        case urlEncodedPEM = "url-encoded-pem"
        /// Envoy `x-forwarded-client-cert` (XFCC): comma-separated elements of `key=value` pairs separated by
        /// `;`, values optionally quoted; the certificate is the first element's `Cert`, URL-encoded PEM.
        case envoyXFCC = "envoy-xfcc"
        /// Traefik `X-Forwarded-Tls-Client-Cert`: the base64 DER without PEM armour or line breaks (URL-escaped
        /// by some versions); with several certificates, comma-separated, the first.
        case base64DER = "base64-der"
        /// PEM as is, on one header line or folded: for proxies configured to send it unencoded.
        case pem = "pem"
    }

    /// The header's name, compared case-insensitively by HTTP servers.
    public let name: String
    public let format: Format
    /// Header values longer than this are refused before any decoding or parsing.
    public let maximumLength: Int

    /// The default of ``maximumLength``: URL-encoded PEM of a certificate of ``ClientCertificate/maximumDERLength``
    /// bytes fits (base64 is 4/3 of the DER, URL-encoding at most triples it), a header of megabytes does not.
    public static let defaultMaximumLength = 64 * 1024

    public init(name: String, format: Format, maximumLength: Int = defaultMaximumLength) {
        self.name = name
        self.format = format
        self.maximumLength = maximumLength
    }

    /// nginx with `proxy_set_header <name> $ssl_client_escaped_cert;`.
    public static func nginx(_ name: String) -> ClientCertificateHeader { .init(name: name, format: .urlEncodedPEM) }
    /// Envoy's `x-forwarded-client-cert` with `Cert` among its `set_current_client_cert_details`.
    public static let envoy = ClientCertificateHeader(name: "x-forwarded-client-cert", format: .envoyXFCC)
    /// An AWS Application Load Balancer with mutual TLS in verify or passthrough mode.
    public static let awsALB = ClientCertificateHeader(name: "X-Amzn-Mtls-Clientcert", format: .urlEncodedPEM)
    /// Traefik's `passTLSClientCert` middleware with `pem: true`.
    public static let traefik = ClientCertificateHeader(name: "X-Forwarded-Tls-Client-Cert", format: .base64DER)

    /// The certificate in `value`, the header's value as received.
    /// - Throws: `invalid_request` naming the header and what is wrong with its value: too long, not in
    ///   ``format``, or not a certificate.
    public func certificate(from value: String) throws(LayabAuthError) -> ClientCertificate {
        let length = value.utf8.count
        guard length <= maximumLength else {
            throw ClientCertificate.refused("the \(name) header is \(length) bytes, more than the \(maximumLength) accepted")
        }
        do {
            switch format {
            case .pem:
                return try ClientCertificate(pem: value)
            case .urlEncodedPEM:
                return try ClientCertificate(pem: try Self.percentDecoded(value))
            case .envoyXFCC:
                return try ClientCertificate(pem: try Self.percentDecoded(try EnvoyXFCC.firstCert(value)))
            case .base64DER:
                let first = value.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                let text = first.contains("%") ? try Self.percentDecoded(String(first)) : String(first)
                return try ClientCertificate(der: try StandardBase64.decode(Substring(text), what: "the base64 DER"))
            }
        } catch {
            throw ClientCertificate.refused("the \(name) header (\(format.rawValue)): \(error.message)")
        }
    }

    /// `text` URL-decoded (RFC 3986 §2.1). A `+` stays a `+`: proxies escape PEM, whose base64 holds `+`, with
    /// form-style escaping nowhere (nginx, AWS ALB, Envoy).
    /// - Throws: `invalid_request` for a `%` not followed by two hex digits, or bytes that are not UTF-8.
    private static func percentDecoded(_ text: String) throws(LayabAuthError) -> String {
        guard let decoded = text.removingPercentEncoding else {
            throw ClientCertificate.refused("the value is not valid percent-encoding (a '%' without two hex digits, or not UTF-8)")
        }
        return decoded
    }
}
