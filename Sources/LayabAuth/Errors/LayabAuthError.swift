/// The one error type of verification.
///
/// Every failure has a stable machine ``code`` (for scripts, logs and JSON output), a human ``message``
/// that says what was expected and what was found, and its RFC 6750 mapping (``httpStatus``,
/// ``oauthError``, ``errorDescription``) so that server integrations answer consistently.
public struct LayabAuthError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable identifiers: never renamed, only added to.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case missingToken = "missing_token"
        case invalidRequest = "invalid_request"
        case malformed = "malformed"
        case tokenTooLarge = "token_too_large"
        case encryptedTokenUnsupported = "encrypted_token_unsupported"
        case unsupportedAlgorithm = "unsupported_algorithm"
        case algorithmNotAllowed = "algorithm_not_allowed"
        case keyNotFound = "key_not_found"
        case invalidKey = "invalid_key"
        case badSignature = "bad_signature"
        case unsupportedCriticalHeader = "unsupported_critical_header"
        case expired = "expired"
        case notYetValid = "not_yet_valid"
        case issuedInFuture = "issued_in_future"
        case issuerMismatch = "issuer_mismatch"
        case audienceMismatch = "audience_mismatch"
        case missingClaim = "missing_claim"
        case invalidClaim = "invalid_claim"
        case insufficientScope = "insufficient_scope"
        case jwksUnavailable = "jwks_unavailable"
        case signingFailed = "signing_failed"
        /// The signature was computed with a key too weak to be trusted (an HMAC secret under the hash size,
        /// RFC 7518 §3.2; an RSA key under the policy's minimum). Verifiers refuse such keys before looking at
        /// a token (`invalid_key`); the debugging tools check the signature anyway and report this code, so
        /// that "it matches" and "the key is refused" are shown apart.
        case weakKey = "weak_key"
        /// A verifier, key source or option set was given a value no safe verification can use (a leeway that
        /// is NaN, infinite or negative, a size limit of zero...): refused when it is built, and again by a
        /// verifier whose configuration was changed to it afterwards. A server answers 500 without the detail.
        case invalidConfiguration = "invalid_configuration"
        /// The token's authentication event does not meet the route's ``AuthenticationRequirement``: its `acr`
        /// is not accepted, or its `auth_time` is too old (RFC 9470 §3). 401, so that the client steps up.
        case insufficientUserAuthentication = "insufficient_user_authentication"
        /// The header's `typ` is missing or not one the verifier requires (RFC 8725 §3.11): an ID token or
        /// another kind of JWT presented where an access token belongs (RFC 9068 §2.1).
        case wrongTokenType = "wrong_token_type"
        /// An opaque token the authorization server's introspection endpoint (RFC 7662) reports as not active:
        /// revoked, expired, or never issued by it.
        case inactiveToken = "inactive_token"
        /// The introspection endpoint gave no usable answer (down, slow, 5xx, garbage, too large): like
        /// `jwks_unavailable`, a 503 with `Retry-After`, the token is not at fault.
        case introspectionUnavailable = "introspection_unavailable"
        /// The DPoP replay store could not say whether a proof was used before (a database that is down): a 503,
        /// the request is refused rather than a possible replay accepted (RFC 9449 §11.1).
        case replayStoreUnavailable = "replay_store_unavailable"
    }

    public let code: Code
    /// What was expected and what was found, for a person: the whole story, the server's configuration and
    /// keys included (the expected audience, the known kids, a key's size). For logs, the inspector and the CLI.
    public let message: String
    /// ``message`` without what only the server knows (its configuration, its keys): the failed check and
    /// what the token carried. Nil when ``message`` says nothing of either. What a client is told by default
    /// (``Disclosure/limited``); see ``disclosedMessage(_:)``.
    public let clientMessage: String?
    /// For `insufficient_scope`: the scopes the resource requires (RFC 6750 §3 `scope`).
    public let requiredScopes: [String]
    /// For `jwks_unavailable`: the seconds until the key source tries again, when it knows (it does after
    /// a failed retrieval). Servers send it as `Retry-After`.
    public let retryAfter: Double?
    /// For `insufficient_user_authentication`: the accepted `acr` values, space-separated (RFC 9470 §3
    /// `acr_values`); nil when the route requires none.
    public let acrValues: String?
    /// For `insufficient_user_authentication`: the route's `max_age` in whole seconds (RFC 9470 §3); nil
    /// when the route sets none.
    public let maxAge: Int?

    /// - Parameters:
    ///   - message: the whole story, for the person who runs the server.
    ///   - clientMessage: the same without the server's configuration or keys, when `message` holds some.
    public init(_ code: Code, _ message: String, clientMessage: String? = nil, requiredScopes: [String] = [], retryAfter: Double? = nil,
                acrValues: String? = nil, maxAge: Int? = nil)
    {
        self.code = code
        self.message = message
        self.clientMessage = clientMessage
        self.requiredScopes = requiredScopes
        self.retryAfter = retryAfter
        self.acrValues = acrValues
        self.maxAge = maxAge
    }

    /// The same error, saying that the key source tries again in `seconds` (never less than zero).
    public func retrying(after seconds: Double) -> LayabAuthError {
        LayabAuthError(code, message, clientMessage: clientMessage, requiredScopes: requiredScopes, retryAfter: max(0, seconds),
                       acrValues: acrValues, maxAge: maxAge)
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The HTTP status a resource server answers with (RFC 6750 §3.1).
    public var httpStatus: Int {
        switch code {
        case .missingToken: 401
        case .invalidRequest, .tokenTooLarge: 400
        case .insufficientScope: 403
        case .jwksUnavailable, .introspectionUnavailable, .replayStoreUnavailable: 503
        case .signingFailed, .invalidConfiguration: 500
        default: 401
        }
    }

    /// The RFC 6750 `error` attribute, or nil when none is sent (a request without credentials, §3.1).
    public var oauthError: String? {
        switch code {
        case .missingToken: nil
        case .invalidRequest, .tokenTooLarge: "invalid_request"
        case .insufficientScope: "insufficient_scope"
        case .insufficientUserAuthentication: "insufficient_user_authentication"
        case .jwksUnavailable, .introspectionUnavailable, .replayStoreUnavailable, .signingFailed, .invalidConfiguration: nil
        default: "invalid_token"
        }
    }

    /// How much of a refusal a server tells the client that sent the token.
    public enum Disclosure: Sendable, Hashable {
        /// The failed check and what the token carried (``clientMessage`` when there is one), never the
        /// server's configuration or key inventory: the default. The full ``message`` is for the log.
        case limited
        /// The full ``message``, configuration and keys included: for development, where the person reading
        /// the 401 is the one who configured the server.
        case full
    }

    /// The message a client is told under `disclosure`.
    public func disclosedMessage(_ disclosure: Disclosure) -> String {
        disclosure == .full ? message : clientMessage ?? message
    }

    /// The RFC 6750 `error_description` under ``Disclosure/limited``; see ``errorDescription(_:)``.
    public var errorDescription: String { errorDescription(.limited) }

    /// The RFC 6750 `error_description`: the message `disclosure` allows, restricted to the characters §3
    /// allows (%x20-21 / %x23-5B / %x5D-7E), so that it can be placed in a header as is, and at most
    /// ``maximumDescriptionLength`` characters, so that no token makes a header line a proxy refuses.
    public func errorDescription(_ disclosure: Disclosure) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in disclosedMessage(disclosure).unicodeScalars {
            if scalars.count == Self.maximumDescriptionLength {
                scalars.removeLast(3)
                scalars.append(contentsOf: "...".unicodeScalars)
                break
            }
            let v = scalar.value
            if v == 0x22 || v == 0x5C { scalars.append("'") } else if v >= 0x20 && v <= 0x7E { scalars.append(scalar) } else { scalars.append("?") }
        }
        return String(scalars)
    }

    /// The longest `error_description` sent to a client, in the header and in the body.
    public static let maximumDescriptionLength = 512

    /// The message `disclosure` allows as a client's JSON body carries it: at most
    /// ``maximumDescriptionLength`` characters.
    func boundedMessage(_ disclosure: Disclosure) -> String {
        let message = disclosedMessage(disclosure)
        return message.count > Self.maximumDescriptionLength ? String(message.prefix(Self.maximumDescriptionLength - 1)) + "…" : message
    }

    /// Text a token or a key set carries (an `alg`, a `kid`, a member name, an issuer), as a message quotes it:
    /// printable, at most 64 characters. Untrusted text never makes a message, a header or a log line long.
    package static func shown(_ text: String) -> String {
        let limit = 64
        var printable = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if printable.count == limit { return String(printable) + "…" }
            printable.append(scalar.value >= 0x20 && scalar.value != 0x7F ? scalar : "?")
        }
        return String(printable)
    }

    /// A list of untrusted names as a message quotes it: each ``shown(_:)``, at most 8 of them, then `, …`.
    package static func shownList(_ texts: [String], quoted: Bool = true) -> String {
        let shown = texts.prefix(8).map { quoted ? "\"\(Self.shown($0))\"" : Self.shown($0) }
        return shown.joined(separator: ", ") + (texts.count > 8 ? ", …" : "")
    }

    /// `invalid_configuration` for the setting `name` (as the caller spells it, e.g. `leeway`) whose value
    /// `value` breaks `requirement`.
    package static func invalidConfiguration(_ name: String, _ value: some CustomStringConvertible, _ requirement: String) -> LayabAuthError {
        LayabAuthError(.invalidConfiguration, "\(name) is \(value): \(requirement)")
    }

    /// The `WWW-Authenticate` header value for this error (RFC 6750 §3), its `error_description` as much as
    /// `disclosure` allows.
    public func wwwAuthenticate(realm: String? = nil, disclosure: Disclosure = .limited) -> String {
        var parts: [String] = []
        if let realm { parts.append("realm=\"\(Self.quotedSafe(realm))\"") }
        if let oauthError {
            parts.append("error=\"\(oauthError)\"")
            parts.append("error_description=\"\(errorDescription(disclosure))\"")
        }
        if code == .insufficientScope, !requiredScopes.isEmpty {
            parts.append("scope=\"\(Self.quotedSafe(requiredScopes.joined(separator: " ")))\"")
        }
        if code == .insufficientUserAuthentication {
            if let acrValues { parts.append("acr_values=\"\(Self.quotedSafe(acrValues))\"") }
            if let maxAge { parts.append("max_age=\"\(maxAge)\"") }
        }
        return parts.isEmpty ? "Bearer" : "Bearer " + parts.joined(separator: ", ")
    }

    private static func quotedSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value <= 0x7E && $0 != "\"" && $0 != "\\" }))
    }
}
