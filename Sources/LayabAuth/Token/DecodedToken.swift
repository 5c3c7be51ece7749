#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A compact JWS split and decoded, but not verified.
///
/// Produced by ``DecodedToken/decode(_:maximumSize:)`` (the inspector's and `layabauth decode`'s view)
/// and by every verification. Nothing here has been authenticated.
public struct DecodedToken: Sendable {
    /// The token exactly as given.
    public let raw: String
    public let header: JOSEHeader
    /// The claims, when the payload is a JSON object (always, for a JWT).
    public let claims: Claims?
    /// Why the payload is not a claims set, when it is not.
    public let payloadError: LayabAuthError?
    /// Why every verifier refuses this token before any key is looked at (`alg: none`, `crit`, `b64: false`,
    /// an empty signature). Only ``decodeForDisplay(_:maximumSize:)`` returns such a token; ``decode(_:maximumSize:)``
    /// throws this error instead, so a token it returns always has nil here.
    public let refusal: LayabAuthError?
    /// Offset in `raw`'s UTF-8 of the dot before the payload segment.
    let firstDot: Int
    /// Length in bytes of the JWS signing input: `BASE64URL(header) || '.' || BASE64URL(payload)`, which is
    /// also the offset of the dot before the signature segment.
    let signingInputLength: Int

    /// The payload bytes (base64url-decoded). Decoded again on each access: verification reads the
    /// payload only once, to parse the claims, and keeps no copy.
    public var payload: [UInt8] { segmentBytes(firstDot + 1..<signingInputLength) }

    /// The signature bytes (base64url-decoded). Decoded again on each access: verification decodes them
    /// into a temporary buffer instead.
    public var signature: [UInt8] { segmentBytes(signingInputLength + 1..<raw.utf8.count) }

    /// A segment that `decode` already validated, decoded.
    private func segmentBytes(_ range: Range<Int>) -> [UInt8] {
        withRawBytes { bytes in (try? Base64URL.decode(UnsafeBufferPointer(rebasing: bytes[range]))) ?? [] }
    }

    /// The default cap on a token's size.
    public static let defaultMaximumSize = 16 * 1024

    /// Splits and decodes a compact JWS. The payload need not be JSON (a JWS may sign anything); use
    /// ``claims`` or ``requireClaims()`` for a JWT.
    /// - Throws: `token_too_large`, `encrypted_token_unsupported`, `malformed`, `unsupported_algorithm`
    ///   (for `alg: none`), `unsupported_critical_header`.
    public static func decode(_ token: String, maximumSize: Int = defaultMaximumSize) throws(LayabAuthError) -> DecodedToken {
        try decode(token, maximumSize: maximumSize, display: false)
    }

    /// Splits and decodes a compact JWS for display: a token that is well formed but refused by policy
    /// before any key is looked at (`alg: none`, `crit`, `b64: false`, an empty signature) is returned with
    /// the reason in ``refusal``, so that a person can see what it holds. Never use it for access decisions.
    /// - Throws: `token_too_large`, `encrypted_token_unsupported`, `malformed`.
    public static func decodeForDisplay(_ token: String, maximumSize: Int = defaultMaximumSize) throws(LayabAuthError) -> DecodedToken {
        try decode(token, maximumSize: maximumSize, display: true)
    }

    private static func decode(_ token: String, maximumSize: Int, display: Bool) throws(LayabAuthError) -> DecodedToken {
        // The size check comes before anything that could grow with the input.
        let size = token.utf8.count
        if size > maximumSize {
            throw LayabAuthError(.tokenTooLarge, "the token has \(size) bytes, the limit is \(maximumSize)")
        }
        if size == 0 { throw LayabAuthError(.malformed, "the token is empty") }
        let decode = { (bytes: UnsafeBufferPointer<UInt8>) in
            Result { () throws(LayabAuthError) in
                let (first, second, _) = try split(bytes).get()
                return try decodeParts(token, bytes, first, second, display: display)
            }
        }
        let result = token.utf8.withContiguousStorageIfAvailable(decode) ?? Array(token.utf8).withUnsafeBufferPointer(decode)
        return try result.get()
    }

    /// Finds the two dots of a compact JWS without allocating; stops counting past five segments.
    private static func split(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<(Int, Int, Int), LayabAuthError> {
        if bytes.first == UInt8(ascii: "{") {
            return .failure(LayabAuthError(.malformed, "JWS JSON serialization is not supported: send the compact form header.payload.signature"))
        }
        var dots = 0
        var first = -1, second = -1
        if let base = bytes.baseAddress {
            var from = 0
            while dots <= 4, from < bytes.count, let found = memchr(base + from, Int32(UInt8(ascii: ".")), bytes.count - from) {
                let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                dots += 1
                if dots == 1 { first = index } else if dots == 2 { second = index }
                from = index + 1
            }
        }
        if dots == 4 {
            return .failure(LayabAuthError(.encryptedTokenUnsupported, "the token has five segments: it is an encrypted JWT (JWE), which is not supported; only signed tokens (JWS) are"))
        }
        if dots != 2 {
            let found = dots > 4 ? "more than five" : "\(dots + 1)"
            return .failure(LayabAuthError(.malformed, "a signed token has three segments separated by dots (header.payload.signature), found \(found)"))
        }
        return .success((first, second, dots))
    }

    /// Decodes the three segments. `display` records a policy refusal in ``refusal`` instead of throwing it.
    private static func decodeParts(_ token: String, _ bytes: UnsafeBufferPointer<UInt8>, _ first: Int, _ second: Int,
                                    display: Bool) throws(LayabAuthError) -> DecodedToken
    {
        var refusal: LayabAuthError?
        func refuse(_ error: LayabAuthError) throws(LayabAuthError) {
            guard display else { throw error }
            if refusal == nil { refusal = error }
        }
        /// Decodes a segment into a temporary buffer (on the stack when small) and runs `body` over it.
        func withSegment<T>(_ range: Range<Int>, _ name: String, _ body: (UnsafeBufferPointer<UInt8>) throws(LayabAuthError) -> T) throws(LayabAuthError) -> T {
            let input = UnsafeBufferPointer(rebasing: bytes[range])
            let result = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Base64URL.decodedCapacity(input.count)) { buffer in
                Result { () throws(LayabAuthError) in
                    let count: Int
                    do { count = try Base64URL.decode(input, into: buffer) } catch {
                        throw LayabAuthError(.malformed, "the \(name) segment is not valid base64url: \(error)")
                    }
                    return try body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
                }
            }
            return try result.get()
        }
        let headerValue: JSONValue = try withSegment(0..<first, "header") { (header) throws(LayabAuthError) in
            if header.isEmpty { throw LayabAuthError(.malformed, "the header segment is empty") }
            do { return try JSONParser.parse(header) } catch {
                throw LayabAuthError(.malformed, "the header is not valid JSON: \(error)")
            }
        }
        guard let headerObject = headerValue.objectValue else {
            throw LayabAuthError(.malformed, "the header must be a JSON object, found \(headerValue.typeName)")
        }
        let header = try JOSEHeader(headerObject)
        if Algorithm.isNone(header.algorithmName) {
            try refuse(LayabAuthError(.unsupportedAlgorithm, "alg \"\(LayabAuthError.shown(header.algorithmName))\" (an unsecured token) is never accepted"))
        }
        if let b64 = header.unencodedPayload, b64 != .bool(true) {
            try refuse(LayabAuthError(.unsupportedCriticalHeader, "\"b64\": \(LayabAuthError.shown(b64.jsonText)) (RFC 7797 unencoded payload) is not supported"))
        }
        if let critical = header.critical {
            try refuse(LayabAuthError(.unsupportedCriticalHeader, "the header marks [\(LayabAuthError.shownList(critical, quoted: false))] as critical; LayabAuth implements no JWS extension, so it must refuse the token (RFC 7515 §4.1.11)"))
        }
        // A segment that cannot be decoded after a refusal: the refusal is what `decode` would have thrown,
        // and stays the one error, so that a report and `verify` name the same first failure.
        let claims: Claims?, payloadError: LayabAuthError?
        do {
            (claims, payloadError) = try withSegment(first + 1..<second, "payload") { payload -> (Claims?, LayabAuthError?) in
                do {
                    let value = try JSONParser.parse(payload)
                    if let object = value.objectValue { return (Claims(object), nil) }
                    return (nil, LayabAuthError(.malformed, "the payload must be a JSON object of claims, found \(value.typeName)"))
                } catch {
                    return (nil, LayabAuthError(.malformed, "the payload is not a JSON claims set: \(error)"))
                }
            }
        } catch {
            throw refusal ?? error
        }
        // Checked, not decoded: verification decodes the signature where it needs it.
        let signatureLength: Int
        do { signatureLength = try Base64URL.validate(UnsafeBufferPointer(rebasing: bytes[(second + 1)...])) } catch {
            throw refusal ?? LayabAuthError(.malformed, "the signature segment is not valid base64url: \(error)")
        }
        if signatureLength == 0 { try refuse(LayabAuthError(.malformed, "the signature segment is empty")) }
        return DecodedToken(raw: token, header: header, claims: claims, payloadError: payloadError, refusal: refusal, firstDot: first,
                            signingInputLength: second)
    }

    /// The claims, or the reason the payload is not a claims set.
    public func requireClaims() throws(LayabAuthError) -> Claims {
        if let claims { return claims }
        throw payloadError ?? LayabAuthError(.malformed, "the payload is not a JSON claims set")
    }

    /// Runs `body` over the signing input bytes without copying them when the string allows.
    func withSigningInput<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let length = signingInputLength
        return try withRawBytes { try body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[0..<length]))) }
    }

    /// Runs `body` over the decoded signature, held in a temporary buffer (on the stack when small).
    func withSignature<T>(_ body: (UnsafeRawBufferPointer) throws(LayabAuthError) -> T) throws(LayabAuthError) -> T {
        let result = withRawBytes { bytes in
            let input = UnsafeBufferPointer(rebasing: bytes[(signingInputLength + 1)...])
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Base64URL.decodedCapacity(input.count)) { buffer in
                Result { () throws(LayabAuthError) in
                    // `decode` validated the segment; a failure here would mean `raw` changed, which a `let` cannot.
                    guard let count = try? Base64URL.decode(input, into: buffer) else {
                        throw LayabAuthError(.malformed, "the signature segment is not valid base64url")
                    }
                    return try body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[0..<count])))
                }
            }
        }
        return try result.get()
    }

    /// Runs `body` over the token's UTF-8 bytes, in place when the string is contiguous.
    private func withRawBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        if let result = try raw.utf8.withContiguousStorageIfAvailable(body) { return result }
        return try Array(raw.utf8).withUnsafeBufferPointer(body)
    }
}
