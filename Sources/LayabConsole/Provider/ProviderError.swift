import LayabAuth
import LayabAuthJWKS

/// Why no token came from the provider, in words a person can act on: the provider's RFC 6749 §5.2 `error` and
/// `error_description` with the HTTP status, and the non-standard answers real providers give (an empty 403,
/// an HTML page, `scope_invalid`).
package struct ProviderError: Error, CustomStringConvertible, Sendable {
    package enum Kind: Sendable {
        /// The provider answered and refused (exit status 1).
        case refused
        /// No usable answer: unreachable, timed out, TLS, or a server failure (exit status 3).
        case unreachable
    }

    package let kind: Kind
    /// The provider's `error` code, when it gave one.
    package let code: String?
    package let description: String

    package init(_ kind: Kind, code: String? = nil, _ description: String) {
        self.kind = kind
        self.code = code
        self.description = description
    }

    /// A transfer that brought no answer.
    package static func unreachable(_ error: LayabAuthError) -> ProviderError {
        ProviderError(.unreachable, error.message)
    }

    /// The longest part of a provider's own text quoted in a message.
    static let quotedLimit = 300

    /// Explains an answer that carries no token.
    /// - Parameter endpoint: what was asked, for the message ("the token endpoint http://…").
    package static func explaining(_ response: HTTPResponse, endpoint: String) -> ProviderError {
        let status = response.status
        if let object = try? JSONParser.parse(response.body), let code = object["error"]?.stringValue {
            let described = object["error_description"]?.stringValue.map { ": \"\(quoted($0))\"" } ?? ""
            let hint = hints[code].map { " (\($0))" } ?? ""
            // server_error and temporarily_unavailable say the provider failed, not that it refused.
            let kind: Kind = status >= 500 || code == "server_error" || code == "temporarily_unavailable" ? .unreachable : .refused
            return ProviderError(kind, code: code, "\(endpoint) answered HTTP \(status) \(quoted(code))\(described)\(hint)")
        }
        let kind: Kind = status >= 500 ? .unreachable : .refused
        if response.body.isEmpty || response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            let why = switch status {
            case 401, 403: " (providers answer so for a wrong client secret or key, or an authentication method the client is not registered for: check the secret and --auth)"
            case 404: " (check the endpoint URL)"
            default: ""
            }
            return ProviderError(kind, "\(endpoint) answered HTTP \(status) with an empty body\(why)")
        }
        if (300..<400).contains(status) {
            let location = response.headers["location"].map { " to \(quoted($0))" } ?? ""
            return ProviderError(kind, "\(endpoint) answered HTTP \(status), a redirect\(location) that a token request does not follow (only 307 and 308 repeat a POST)")
        }
        return ProviderError(kind, "\(endpoint) answered HTTP \(status) without an OAuth error: \(response.bodyExcerpt(quotedLimit))")
    }

    /// What each error code usually means for the person running the command.
    static let hints: [String: String] = [
        "invalid_client": "client authentication failed: check --client-id, the secret or key, and --auth",
        "invalid_grant": "the refresh token or device code is invalid, expired or revoked",
        "invalid_scope": "a requested scope is unknown or not allowed for this client",
        "scope_invalid": "a non-standard spelling of invalid_scope: a requested scope is unknown or not allowed for this client",
        "unauthorized_client": "this client is not allowed this grant type",
        "unsupported_grant_type": "the provider does not support this grant type",
        "invalid_request": "the request lacks a parameter or repeats one the provider refuses",
        "invalid_target": "a --resource is unknown or not allowed for this client (RFC 8707)",
        "access_denied": "the request was denied",
        "expired_token": "the device code expired before the person approved",
        "server_error": "the provider failed",
        "temporarily_unavailable": "the provider is overloaded or down for maintenance",
    ]

    /// A provider's text cut to ``quotedLimit`` characters.
    static func quoted(_ text: String) -> String {
        text.count > quotedLimit ? String(text.prefix(quotedLimit)) + "…" : text
    }

    /// This error with every occurrence of `secrets` replaced: a provider may echo what it was sent.
    package func redacting(_ secrets: [String]) -> ProviderError {
        var text = description
        for secret in secrets where !secret.isEmpty { text = text.replacingOccurrences(of: secret, with: "[redacted]") }
        return ProviderError(kind, code: code, text)
    }
}
