import LayabAuth
import LayabAuthJWKS

/// One client's requests to a token endpoint: what stays the same across grants (who asks, how it
/// authenticates, what for) and the grant of each request.
package struct TokenRequest: Sendable {
    package enum Grant: Sendable {
        /// RFC 6749 §4.4.
        case clientCredentials
        /// RFC 6749 §6.
        case refresh(token: String)
        /// RFC 8628 §3.4.
        case deviceCode(String)
    }

    package var endpoint: String
    package var clientID: String
    package var authentication: ClientAuthentication
    package var scopes: [String]
    /// The non-standard `audience` parameter some providers want instead of resource indicators.
    package var audience: String?
    /// RFC 8707 resource indicators, one `resource` field each.
    package var resources: [String]
    package var options: HTTPOptions

    package init(endpoint: String, clientID: String, authentication: ClientAuthentication, scopes: [String] = [], audience: String? = nil,
                 resources: [String] = [], options: HTTPOptions = HTTPOptions())
    {
        self.endpoint = endpoint
        self.clientID = clientID
        self.authentication = authentication
        self.scopes = scopes
        self.audience = audience
        self.resources = resources
        self.options = options
    }

    /// The form fields of a request for `grant`, the client's credentials excepted.
    package func form(for grant: Grant) -> [(name: String, value: String)] {
        var form: [(name: String, value: String)]
        switch grant {
        case .clientCredentials: form = [("grant_type", "client_credentials")]
        case let .refresh(token): form = [("grant_type", "refresh_token"), ("refresh_token", token)]
        // The scopes were asked for in the device authorization request.
        case let .deviceCode(code): return [("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", code)] + resourceFields
        }
        if !scopes.isEmpty { form.append(("scope", scopes.joined(separator: " "))) }
        if let audience { form.append(("audience", audience)) }
        return form + resourceFields
    }

    var resourceFields: [(name: String, value: String)] { resources.map { ("resource", $0) } }

    /// Asks the token endpoint for a token.
    /// - Parameter now: seconds since 1970, for a client assertion.
    /// - Throws: ``ProviderError``: refused (with the provider's reason) or unreachable.
    package func send(_ grant: Grant, now: Double = SystemClock.now()) async throws(ProviderError) -> TokenResponse {
        let response = try await post(form(for: grant), to: endpoint, now: now)
        return try TokenResponse(response, endpoint: "the token endpoint \(endpoint)")
    }

    /// POSTs `form` with the client's credentials to `url`; a 2xx answer is returned, any other explained. A client
    /// assertion names the token endpoint as its audience whichever endpoint it goes to.
    func post(_ form: [(name: String, value: String)], to url: String, now: Double) async throws(ProviderError) -> HTTPResponse {
        let credentials: (form: [(name: String, value: String)], headers: [String])
        do { credentials = try authentication.credentials(clientID: clientID, endpoint: endpoint, now: now) } catch {
            throw ProviderError(.refused, "cannot authenticate the client: \(error.message)")
        }
        let response: HTTPResponse
        do { response = try await HTTPClient.post(url, form: credentials.form + form, headers: credentials.headers, options: options) } catch {
            throw .unreachable(error)
        }
        guard (200..<300).contains(response.status) else {
            throw ProviderError.explaining(response, endpoint: url == endpoint ? "the token endpoint \(url)" : "the device authorization endpoint \(url)")
        }
        return response
    }
}
