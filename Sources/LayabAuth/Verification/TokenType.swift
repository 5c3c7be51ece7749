/// The JOSE header's `typ` (RFC 7515 §4.1.9): how it is compared, and what a token of the wrong type is told.
///
/// `typ` is a media type: compared without regard to ASCII case, and `application/` may be left out when no
/// other `/` follows (RFC 7515 §4.1.9), so `at+jwt`, `application/at+jwt` and `AT+JWT` are one type
/// (RFC 9068 §2.1). Every other byte must match exactly: no Unicode case folding or normalisation.
enum TokenType {
    /// RFC 9068 §2.1: the `typ` of a JWT access token.
    static let accessToken = "at+jwt"

    /// Whether `found` and `expected` name the same media type.
    static func matches(_ found: String, _ expected: String) -> Bool {
        canonical(found) == canonical(expected)
    }

    /// The media type's bytes, ASCII letters lowered, without an `application/` prefix followed by no other `/`.
    private static func canonical(_ type: String) -> [UInt8] {
        var bytes = type.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        let prefix = Array("application/".utf8)
        if bytes.starts(with: prefix), !bytes[prefix.count...].contains(0x2F) { bytes.removeFirst(prefix.count) }
        return bytes
    }

    /// Claims that only OpenID Connect ID tokens carry (OpenID Connect Core 1.0 §2, §3.1.3.6, §3.3.2.11).
    static let idTokenOnlyClaims = ["nonce", "at_hash", "c_hash"]

    /// Whether the header's `typ` is absent or `JWT`, as an ID token's is: it does not say the token is of
    /// another kind.
    static func isPlainJWT(_ header: JOSEHeader) -> Bool { header.type.map { matches($0, "JWT") } ?? true }

    /// Whether the token looks like an OpenID Connect ID token (OpenID Connect Core §2) rather than an access
    /// token: it carries `nonce`, `at_hash` or `c_hash`, or its `typ` is `JWT` or absent and it has `azp` or
    /// `auth_time` but none of `scope`, `scp` and `client_id`, which access tokens carry (RFC 9068 §2.2).
    static func looksLikeIDToken(_ header: JOSEHeader, _ claims: Claims) -> Bool {
        if idTokenOnlyClaims.contains(where: { claims[$0] != nil }) { return true }
        guard isPlainJWT(header), claims["azp"] != nil || claims["auth_time"] != nil else { return false }
        return claims["scope"] == nil && claims["scp"] == nil && claims["client_id"] == nil
    }

    /// `wrong_token_type` when the header's `typ` is none of `required`; nil when it is one (or none is required).
    static func error(_ header: JOSEHeader, _ claims: Claims, required: [String]) -> LayabAuthError? {
        guard !required.isEmpty else { return nil }
        if let type = header.type, required.contains(where: { matches(type, $0) }) { return nil }
        let expected = required.map { "\"\($0)\"" }.joined(separator: " or ")
        let found = header.type.map { "the token's typ is \"\(LayabAuthError.shown($0))\"" } ?? "the token has no typ"
        let idToken = looksLikeIDToken(header, claims)
            ? ": this looks like an OpenID Connect ID token, which is not an access token (RFC 9068 §2.1)" : ""
        let clientFound = header.type.map { "the token's typ \"\(LayabAuthError.shown($0))\" is not accepted here" }
            ?? "the token has no typ, which is required here"
        return LayabAuthError(.wrongTokenType, "\(found), expected \(expected)\(idToken)", clientMessage: clientFound + idToken)
    }
}
