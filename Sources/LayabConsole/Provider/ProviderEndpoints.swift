import LayabAuth
import LayabAuthJWKS

/// Where a client asks for tokens: given, or found by discovery from the issuer.
package struct ProviderEndpoints: Sendable {
    package let token: String
    /// The RFC 8628 device authorization endpoint, when known.
    package let deviceAuthorization: String?

    package init(token: String, deviceAuthorization: String? = nil) {
        self.token = token
        self.deviceAuthorization = deviceAuthorization
    }

    /// The endpoints an issuer's discovery document lists (`token_endpoint`, `device_authorization_endpoint`).
    /// - Throws: ``ProviderError`` (unreachable) when the document cannot be fetched, is not the issuer's, or lists no token endpoint.
    package static func discovered(issuer: String, options: HTTPOptions) async throws(ProviderError) -> ProviderEndpoints {
        let document: DiscoveryDocument
        do { document = try await DiscoveryDocument.fetch(issuer: issuer, options: options).get() } catch { throw .unreachable(error) }
        let token: String
        do { token = try document.endpoint("token_endpoint").get() } catch { throw .unreachable(error) }
        var device: String?
        if document.document["device_authorization_endpoint"] != nil {
            do { device = try document.endpoint("device_authorization_endpoint").get() } catch { throw .unreachable(error) }
        }
        return ProviderEndpoints(token: token, deviceAuthorization: device)
    }
}
