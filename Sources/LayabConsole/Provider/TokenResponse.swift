import LayabAuth
import LayabAuthJWKS

/// A successful token response (RFC 6749 §5.1): the access token and what the provider said about it.
package struct TokenResponse: Sendable {
    package let accessToken: String
    package let tokenType: String?
    /// Seconds the access token lives, as the provider announced.
    package let expiresIn: Double?
    /// The granted scopes, when the provider listed them (RFC 6749 §5.1: omitted when identical to those requested).
    package let scope: String?
    package let refreshToken: String?
    /// Every member as the provider sent it, in its order.
    package let members: JSONObject

    /// Reads a 2xx answer.
    /// - Throws: ``ProviderError`` (refused) when the body is not a JSON object with a string `access_token`.
    package init(_ response: HTTPResponse, endpoint: String) throws(ProviderError) {
        guard let object = (try? JSONParser.parse(response.body))?.objectValue else {
            throw ProviderError(.refused, "\(endpoint) answered HTTP \(response.status) but not with a JSON token response: \(response.bodyExcerpt(ProviderError.quotedLimit))")
        }
        guard let accessToken = object["access_token"]?.stringValue, !accessToken.isEmpty else {
            throw ProviderError(.refused, "\(endpoint) answered HTTP \(response.status) with a JSON object that has no \"access_token\" (members: \(object.names.joined(separator: ", ")))")
        }
        self.accessToken = accessToken
        tokenType = object["token_type"]?.stringValue
        // Some providers send expires_in as a string.
        expiresIn = object["expires_in"]?.doubleValue ?? object["expires_in"]?.stringValue.flatMap(Double.init)
        scope = object["scope"]?.stringValue
        refreshToken = object["refresh_token"]?.stringValue
        members = object
    }

    /// The response for printing: the refresh token replaced by `"[redacted]"` unless `revealingRefreshToken`.
    package func json(revealingRefreshToken: Bool = false) -> JSONObject {
        var object = members
        if !revealingRefreshToken, object["refresh_token"] != nil { object["refresh_token"] = "[redacted]" }
        return object
    }
}
