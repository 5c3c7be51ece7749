import Foundation
import LayabAuth

/// How a client proves who it is at an authorization server's endpoint (token, introspection): RFC 6749 §2.3.1
/// (HTTP Basic or form fields), RFC 7523 §2.2 (`private_key_jwt`, an assertion signed with the client's key), or
/// not at all (a public client). A resource server introspecting tokens (RFC 7662 §2.1) is such a client.
public enum ClientAuthentication: Sendable {
    case basic(secret: String)
    case post(secret: String)
    case privateKeyJWT(SigningKey)
    /// A public client: only `client_id` is sent.
    case none

    /// The method's registered name (`token_endpoint_auth_method`).
    public var methodName: String {
        switch self {
        case .basic: "client_secret_basic"
        case .post: "client_secret_post"
        case .privateKeyJWT: "private_key_jwt"
        case .none: "none"
        }
    }

    /// Seconds a client assertion stays valid: long enough for one request, short enough to be useless later.
    public static let assertionLifetime: Int64 = 60

    /// The form fields and headers that authenticate `clientID` to `endpoint`.
    /// - Parameter now: seconds since 1970, for the assertion's `iat` and `exp`.
    /// - Throws: `signing_failed` when the assertion cannot be signed.
    package func credentials(clientID: String, endpoint: String, now: Double) throws(LayabAuthError) -> (form: [(name: String, value: String)], headers: [String]) {
        switch self {
        case let .basic(secret):
            // RFC 6749 §2.3.1: both halves form-encoded before Base64.
            let pair = FormEncoding.escape(clientID) + ":" + FormEncoding.escape(secret)
            return ([], ["Authorization: Basic " + Data(pair.utf8).base64EncodedString()])
        case let .post(secret):
            return ([("client_id", clientID), ("client_secret", secret)], [])
        case let .privateKeyJWT(key):
            let issuedAt = Int64(now.rounded(.down))
            let claims: JSONObject = [
                "iss": .string(clientID), "sub": .string(clientID), "aud": .string(endpoint),
                "jti": .string(UUID().uuidString.lowercased()),
                "iat": .integer(issuedAt), "exp": .integer(issuedAt + Self.assertionLifetime),
            ]
            let assertion = try key.sign(claims: claims)
            return ([("client_id", clientID), ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                     ("client_assertion", assertion)], [])
        case .none:
            return ([("client_id", clientID)], [])
        }
    }

    /// The client secret, to keep out of anything printed.
    package var secret: String? {
        switch self {
        case let .basic(secret), let .post(secret): secret
        case .privateKeyJWT, .none: nil
        }
    }
}
