import LayabAuth

/// Where opaque tokens are introspected (RFC 7662 §2): a configured URL, or the `introspection_endpoint` of the
/// issuer's discovery document (RFC 8414 §2).
public enum IntrospectionEndpoint: Sendable, Hashable {
    case url(String)
    case discovery(issuer: String)

    /// Refuses a URL that is not http(s).
    func validate() throws(LayabAuthError) {
        let text = switch self {
        case let .url(url): url
        case let .discovery(issuer): issuer
        }
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
            throw .invalidConfiguration(self.name, "\"\(text)\"", "it must be an http(s) URL")
        }
    }

    private var name: String {
        switch self {
        case .url: "introspection endpoint"
        case .discovery: "issuer"
        }
    }
}

/// The endpoint's URL, found once: a discovered one is kept after the first successful discovery.
final class IntrospectionEndpointResolver: Sendable {
    let endpoint: IntrospectionEndpoint
    private let discovered = Locked<String?>(nil)

    init(_ endpoint: IntrospectionEndpoint) { self.endpoint = endpoint }

    /// The URL, or nil when it must be discovered and was not yet.
    var known: String? {
        switch endpoint {
        case let .url(url): url
        case .discovery: discovered.withLock { $0 }
        }
    }

    /// - Throws: `introspection_unavailable` when discovery fails or the document names no endpoint.
    func url(options: HTTPOptions) async throws(LayabAuthError) -> String {
        if let known { return known }
        guard case let .discovery(issuer) = endpoint else { return "" }
        let url: String
        do {
            url = try await DiscoveryDocument.fetch(issuer: issuer, options: options).flatMap { $0.endpoint("introspection_endpoint") }.get()
        } catch {
            throw LayabAuthError(.introspectionUnavailable, "the introspection endpoint of \(issuer) cannot be discovered: \(error.message)")
        }
        discovered.withLock { $0 = url }
        return url
    }
}
