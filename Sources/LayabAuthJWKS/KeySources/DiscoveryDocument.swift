import LayabAuth

/// An issuer's discovery document, fetched and checked once for whoever needs an endpoint from it: the keys'
/// `jwks_uri`, a client's `token_endpoint` or `device_authorization_endpoint`.
package struct DiscoveryDocument: Sendable {
    /// Where the document was found.
    package let url: String
    package let issuer: String
    package let document: JSONValue

    /// Fetches OpenID Connect Discovery, then RFC 8414, and holds the document to its `issuer`: it must equal
    /// `issuer` exactly (OpenID Connect Discovery §4.3, RFC 8414 §3.3).
    package static func fetch(issuer: String, options: HTTPOptions) async -> Result<DiscoveryDocument, LayabAuthError> {
        guard issuer.lowercased().hasPrefix("https://") || issuer.lowercased().hasPrefix("http://") else {
            return .failure(LayabAuthError(.jwksUnavailable, "the issuer \"\(issuer)\" is not an http(s) URL, so it cannot be discovered"))
        }
        var failures: [String] = []
        for url in DiscoveryKeySource.discoveryURLs(for: issuer) {
            let response: HTTPResponse
            do { response = try await HTTPClient.get(url, options: options) } catch { return .failure(error) }
            guard response.status == 200 else {
                failures.append("\(url) answered HTTP \(response.status)")
                // Only a missing document moves on to the next well-known location.
                if response.status == 404 { continue }
                return .failure(LayabAuthError(.jwksUnavailable, "discovery failed: HTTP \(response.status) error while retrieving \(url): \(response.bodyExcerpt())"))
            }
            let document: JSONValue
            do { document = try JSONParser.parse(response.body) } catch {
                return .failure(LayabAuthError(.jwksUnavailable, "discovery document \(url) is not valid JSON: \(error)"))
            }
            guard let declared = document["issuer"]?.stringValue else {
                return .failure(LayabAuthError(.jwksUnavailable, "discovery document \(url) has no \"issuer\""))
            }
            guard ExactString(declared) == ExactString(issuer) else {
                return .failure(LayabAuthError(.jwksUnavailable, "discovery document \(url) declares issuer \"\(declared)\", expected \"\(issuer)\" exactly"))
            }
            return .success(DiscoveryDocument(url: url, issuer: issuer, document: document))
        }
        return .failure(LayabAuthError(.jwksUnavailable, "discovery failed for issuer \(issuer): \(failures.joined(separator: "; "))"))
    }

    /// The http(s) URL in `member`; an https issuer's endpoints must be https too.
    package func endpoint(_ member: String) -> Result<String, LayabAuthError> {
        guard let endpoint = document[member]?.stringValue else {
            return .failure(LayabAuthError(.jwksUnavailable, "discovery document \(url) has no \"\(member)\""))
        }
        let lower = endpoint.lowercased()
        if issuer.lowercased().hasPrefix("https://"), !lower.hasPrefix("https://") {
            return .failure(LayabAuthError(.jwksUnavailable, "discovery document \(url) points to a non-https \(member) \"\(endpoint)\""))
        }
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
            return .failure(LayabAuthError(.jwksUnavailable, "discovery document \(url) has an unsupported \(member) \"\(endpoint)\""))
        }
        return .success(endpoint)
    }
}
