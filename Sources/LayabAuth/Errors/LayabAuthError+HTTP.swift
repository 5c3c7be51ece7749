/// The HTTP answer to a refused request, shared by every server integration so that all of them
/// answer alike (RFC 6750 §3).
public struct BearerChallenge: Sendable, Hashable {
    public let status: Int
    /// Response headers: `WWW-Authenticate` for 401/403 (and 400), `Retry-After` for 503.
    public let headers: [(name: String, value: String)]
    /// `{"error": …, "error_description": …}`.
    public let body: String

    public static func == (lhs: BearerChallenge, rhs: BearerChallenge) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers.elementsEqual(rhs.headers) { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(body)
    }
}

extension LayabAuthError {
    /// The response a resource server sends for this error.
    ///
    /// - `missing_token`: 401, `WWW-Authenticate: Bearer realm="…"` without an error code (RFC 6750 §3.1).
    /// - `invalid_request`, `token_too_large`: 400 `invalid_request`.
    /// - token errors: 401 `invalid_token` with the reason in `error_description`.
    /// - `insufficient_scope`: 403 with `scope="…"`.
    /// - `jwks_unavailable` and `introspection_unavailable`: 503 `temporarily_unavailable` with `Retry-After`, never a 500: the identity
    ///   provider is down, the request may succeed later. `Retry-After` is `retryAfter` when given, else
    ///   the error's own ``retryAfter`` (when the key source will try again) rounded up to whole seconds
    ///   and at least 1, else ``defaultRetryAfter``.
    ///
    /// The body of a 503 (and of a `signing_failed` 500) says only what happened to the request: the
    /// detail in ``message`` (the key source's URL, the provider's answer) is for the server's log, not for
    /// any client that sends a token. Token errors do describe the token, which is the client's own, but by
    /// default (``Disclosure/limited``) not the server's configuration or keys: the `error_description` is
    /// ``clientMessage`` when the error has one. ``Disclosure/full`` sends the whole ``message``.
    public func challenge(realm: String? = nil, retryAfter: Int? = nil, disclosure: Disclosure = .limited) -> BearerChallenge {
        var headers: [(name: String, value: String)] = []
        let errorCode: String
        var description = boundedMessage(disclosure)
        switch code {
        case .jwksUnavailable:
            headers.append(("Retry-After", String(retryAfter ?? retryAfterSeconds)))
            errorCode = "temporarily_unavailable"
            description = "the keys that verify tokens cannot be obtained at the moment; try again later"
        case .introspectionUnavailable:
            headers.append(("Retry-After", String(retryAfter ?? retryAfterSeconds)))
            errorCode = "temporarily_unavailable"
            description = "the authorization server cannot be asked about the token at the moment; try again later"
        case .replayStoreUnavailable:
            headers.append(("Retry-After", String(retryAfter ?? retryAfterSeconds)))
            errorCode = "temporarily_unavailable"
            description = "the server cannot check the DPoP proof for replay at the moment; try again later"
        case .signingFailed, .invalidConfiguration:
            errorCode = "server_error"
            description = "the server could not process the token"
        default:
            if let dpop {
                headers.append(contentsOf: dpopHeaders(dpop, realm: realm, disclosure: disclosure))
            } else {
                headers.append(("WWW-Authenticate", wwwAuthenticate(realm: realm, disclosure: disclosure)))
            }
            errorCode = oauthError ?? "unauthorized"
        }
        let body: JSONValue = ["error": .string(errorCode), "error_description": .string(description)]
        return BearerChallenge(status: httpStatus, headers: headers, body: body.jsonText)
    }

    /// `Retry-After` when the key source did not say when it tries again: its default retry interval
    /// (`KeyCachePolicy.retryAfterFailure` in LayabAuthJWKS).
    public static let defaultRetryAfter = 10

    /// ``retryAfter`` in whole seconds for `Retry-After` (RFC 9110 §10.2.3): rounded up, at least 1, so a
    /// client never retries before the source does; ``defaultRetryAfter`` when unknown.
    var retryAfterSeconds: Int {
        guard let retryAfter, retryAfter.isFinite else { return Self.defaultRetryAfter }
        return Int(min(max(retryAfter.rounded(.up), 1), 86_400))
    }
}
