/// Reading a bearer token from an `Authorization` header value (RFC 6750 §2.1, RFC 7235 §2.1).
public enum BearerCredential {
    /// The bearer token of a request, read from all of its `Authorization` header values: what both server
    /// integrations call, once per request.
    /// - Returns: the token; nil when the request carries no bearer credentials (no header, an empty one, or
    ///   another scheme such as Basic), which is another authenticator's business.
    /// - Throws: `invalid_request` when the request carries the header more than once (credentials sent twice
    ///   are one request too many, RFC 6750 §3.1, whichever of them would verify) or a malformed bearer
    ///   credential; `token_too_large` for a header value over `maximumSize`.
    public static func token(fromAuthorizationValues values: [String], maximumSize: Int = DecodedToken.defaultMaximumSize) throws(LayabAuthError) -> String? {
        try credential(fromAuthorizationValues: values, schemes: [.bearer], maximumSize: maximumSize)?.token
    }

    /// The credential of a request under one of `schemes`, read from all of its `Authorization` header values:
    /// nil for none (or another scheme); `invalid_request` for two headers.
    static func credential(fromAuthorizationValues values: [String], schemes: [TokenPresentation.Scheme], maximumSize: Int)
        throws(LayabAuthError) -> AuthorizationCredential?
    {
        if values.count > 1 {
            throw LayabAuthError(.invalidRequest, "the request carries \(values.count) Authorization headers; one credential is allowed")
        }
        do {
            return try read(values.first, schemes: schemes, maximumSize: maximumSize)
        } catch where error.code == .missingToken {
            return nil
        }
    }

    /// The token in `Authorization: Bearer <token>`.
    ///
    /// The scheme is matched case-insensitively; the credential must be one `b64token`
    /// (`1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`).
    /// - Throws: `missing_token` when there is no header or it uses another scheme (the request carries
    ///   no bearer credentials, RFC 6750 §3.1); `invalid_request` for an empty or malformed credential;
    ///   `token_too_large` for a header value over `maximumSize`.
    public static func extract(fromAuthorization value: String?, maximumSize: Int = DecodedToken.defaultMaximumSize) throws(LayabAuthError) -> String {
        try read(value, schemes: [.bearer], maximumSize: maximumSize).token
    }

    /// The credential of one `Authorization` value under one of `schemes` (case-insensitive); another scheme
    /// is `missing_token`.
    static func read(_ value: String?, schemes: [TokenPresentation.Scheme], maximumSize: Int) throws(LayabAuthError) -> AuthorizationCredential {
        guard let value else { throw LayabAuthError(.missingToken, "no Authorization header: a bearer token is required") }
        // "Bearer " plus the token plus some optional whitespace; subtracting keeps an Int.max limit from overflowing.
        if value.utf8.count - 64 > maximumSize {
            throw LayabAuthError(.tokenTooLarge, "the Authorization header has \(value.utf8.count) bytes, the token limit is \(maximumSize)")
        }
        let bytes = Array(value.utf8)
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        if start == end { throw LayabAuthError(.missingToken, "the Authorization header is empty: a bearer token is required") }

        var schemeEnd = start
        while schemeEnd < end, bytes[schemeEnd] != 0x20, bytes[schemeEnd] != 0x09 { schemeEnd += 1 }
        let scheme = String(decoding: bytes[start..<schemeEnd], as: UTF8.self)
        guard let matched = schemes.first(where: { $0.rawValue.lowercased() == scheme.lowercased() }) else {
            let shown = scheme.count > 20 ? String(scheme.prefix(20)) + "…" : scheme
            throw LayabAuthError(.missingToken, "the Authorization header uses the \"\(shown)\" scheme, not Bearer")
        }
        var tokenStart = schemeEnd
        while tokenStart < end, bytes[tokenStart] == 0x20 || bytes[tokenStart] == 0x09 { tokenStart += 1 }
        if tokenStart == end { throw LayabAuthError(.invalidRequest, "the Authorization header says \(matched.rawValue) but carries no token") }

        var index = tokenStart
        while index < end, isToken68(bytes[index]) { index += 1 }
        // b64token needs at least one character before its '=' padding: "Bearer ===" carries no token.
        if index == tokenStart, bytes[index] == UInt8(ascii: "=") {
            throw LayabAuthError(.invalidRequest, "the bearer token starts with '=': RFC 6750 allows '=' only as trailing padding")
        }
        while index < end, bytes[index] == UInt8(ascii: "=") { index += 1 }
        if index != end {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 {
                throw LayabAuthError(.invalidRequest, "the Authorization header carries more than one value after \(matched.rawValue)")
            }
            let shown = byte >= 0x21 && byte <= 0x7E ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
            throw LayabAuthError(.invalidRequest, "the \(matched == .bearer ? "bearer" : "DPoP") token contains \(shown) at position \(index - tokenStart), which RFC 6750 does not allow")
        }
        return AuthorizationCredential(scheme: matched, token: String(decoding: bytes[tokenStart..<end], as: UTF8.self))
    }

    @inline(__always) static func isToken68(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }
}
