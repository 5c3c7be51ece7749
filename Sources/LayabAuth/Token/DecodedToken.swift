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
    public var raw: String { storage.raw }
    public var header: JOSEHeader { storage.header }
    /// The claims, when the payload is a JSON object (always, for a JWT).
    public var claims: Claims? { storage.claims }
    /// Why the payload is not a claims set, when it is not.
    public var payloadError: LayabAuthError? { storage.payloadError }
    /// Why every verifier refuses this token before any key is looked at (`alg: none`, `crit`, `b64: false`,
    /// an empty signature). Only ``decodeForDisplay(_:maximumSize:)`` returns such a token; ``decode(_:maximumSize:)``
    /// throws this error instead, so a token it returns always has nil here.
    public var refusal: LayabAuthError? { storage.refusal }
    /// Whether the token is a JWE (five segments), shown for its protected header only: ``payload`` is then its
    /// ciphertext and ``signature`` its authentication tag. Only ``decodeForDisplay(_:maximumSize:)`` returns one.
    public var isEncrypted: Bool { storage.isEncrypted }
    /// Offset in `raw`'s UTF-8 of the dot before the payload segment.
    var firstDot: Int { storage.firstDot }
    /// Length in bytes of the JWS signing input: `BASE64URL(header) || '.' || BASE64URL(payload)`, which is
    /// also the offset of the dot before the signature segment.
    var signingInputLength: Int { storage.signingInputLength }

    /// Every part in one immutable object: a decoded token is handed along a verification several times,
    /// and one reference costs one retain where its strings, header and claims cost a retain each.
    private let storage: Storage

    private final class Storage: Sendable {
        let raw: String
        let header: JOSEHeader
        let claims: Claims?
        let payloadError: LayabAuthError?
        let refusal: LayabAuthError?
        let isEncrypted: Bool
        let firstDot: Int
        let signingInputLength: Int

        init(raw: String, header: JOSEHeader, claims: Claims?, payloadError: LayabAuthError?, refusal: LayabAuthError?, isEncrypted: Bool,
             firstDot: Int, signingInputLength: Int)
        {
            self.raw = raw
            self.header = header
            self.claims = claims
            self.payloadError = payloadError
            self.refusal = refusal
            self.isEncrypted = isEncrypted
            self.firstDot = firstDot
            self.signingInputLength = signingInputLength
        }
    }

    private init(raw: String, header: JOSEHeader, claims: Claims?, payloadError: LayabAuthError?, refusal: LayabAuthError?, isEncrypted: Bool,
                 firstDot: Int, signingInputLength: Int)
    {
        storage = Storage(raw: raw, header: header, claims: claims, payloadError: payloadError, refusal: refusal, isEncrypted: isEncrypted,
                          firstDot: firstDot, signingInputLength: signingInputLength)
    }

    /// The payload bytes (base64url-decoded). Decoded again on each access: verification reads the
    /// payload only once, to parse the claims, and keeps no copy.
    public var payload: [UInt8] { segmentBytes(firstDot + 1..<signingInputLength) }

    /// The signature bytes (base64url-decoded). Decoded again on each access: verification decodes them
    /// into a temporary buffer instead.
    public var signature: [UInt8] { segmentBytes(min(signingInputLength + 1, raw.utf8.count)..<raw.utf8.count) }

    /// The payload's numbers as the token writes them, in document order, for display: claims hold a number
    /// beyond Int64 as the nearest Double, this holds `123456789012345678901234567890` itself.
    package var payloadNumberLiterals: JSONNumberLiterals {
        JSONParser.parseKeepingNumberLiterals(payload)?.literals ?? JSONNumberLiterals()
    }

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

    /// Splits and decodes a compact JWS for display: a token refused before any key is looked at is returned
    /// with every part that decodes and the reason in ``refusal`` (the error ``decode(_:maximumSize:)`` throws),
    /// so that a person can see what it holds: `alg: none`, `crit`, `b64: false`, an empty or damaged
    /// signature, a payload that is not base64url, a signature cut off (two segments), a token over
    /// `maximumSize` (up to ``displayCeiling``) and a JWE's protected header. Never use it for access decisions.
    /// - Throws: when the header does not decode (the first refusal, when there is one), or the token is over
    ///   ``displayCeiling``, empty, or not split into two, three or five segments.
    public static func decodeForDisplay(_ token: String, maximumSize: Int = defaultMaximumSize) throws(LayabAuthError) -> DecodedToken {
        try decode(token, maximumSize: maximumSize, display: true)
    }

    /// The largest token ``decodeForDisplay(_:maximumSize:)`` decodes at all: beyond `maximumSize` a token is
    /// refused, but shown up to this size, so that a person sees what an oversized token holds.
    public static let displayCeiling = 1024 * 1024

    /// Where the parts of a token lie in its UTF-8: the header, the payload (a JWE's ciphertext) and the
    /// signature (a JWE's authentication tag; nil when cut off).
    private struct Segments {
        var header: Range<Int>
        var payload: Range<Int>
        var signature: Range<Int>?
        var encrypted = false
        /// Why `decode` refuses a token split this way (a JWE, a missing signature segment).
        var refusal: LayabAuthError?
    }

    private static func decode(_ token: String, maximumSize: Int, display: Bool) throws(LayabAuthError) -> DecodedToken {
        // The size check comes before anything that could grow with the input.
        let size = token.utf8.count
        var refusal: LayabAuthError?
        if size > maximumSize {
            let error = LayabAuthError(.tokenTooLarge, "the token has \(size) bytes, the limit is \(maximumSize)")
            guard display, size <= max(maximumSize, displayCeiling) else { throw error }
            refusal = error
        }
        if size == 0 { throw LayabAuthError(.malformed, "the token is empty") }
        let decode = { (bytes: UnsafeBufferPointer<UInt8>) in
            Result { () throws(LayabAuthError) in
                let segments: Segments
                switch split(bytes, display: display) {
                case let .success(found): segments = found
                case let .failure(error): throw refusal ?? error
                }
                return try decodeParts(token, bytes, segments, refusal: refusal ?? segments.refusal, display: display)
            }
        }
        let result = token.utf8.withContiguousStorageIfAvailable(decode) ?? Array(token.utf8).withUnsafeBufferPointer(decode)
        return try result.get()
    }

    /// Finds the dots of a compact JWS without allocating; stops counting past five segments. For display, a
    /// token of two segments (its signature cut off) or five (a JWE) is split too, with the error `decode`
    /// throws kept as the first refusal.
    private static func split(_ bytes: UnsafeBufferPointer<UInt8>, display: Bool) -> Result<Segments, LayabAuthError> {
        if bytes.first == UInt8(ascii: "{") {
            return .failure(LayabAuthError(.malformed, "JWS JSON serialization is not supported: send the compact form header.payload.signature"))
        }
        // Up to four dots, counted without allocating.
        var dots = (0, 0, 0, 0), count = 0
        if let base = bytes.baseAddress {
            var from = 0
            while count <= 4, from < bytes.count, let found = memchr(base + from, Int32(UInt8(ascii: ".")), bytes.count - from) {
                let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                switch count {
                case 0: dots.0 = index
                case 1: dots.1 = index
                case 2: dots.2 = index
                case 3: dots.3 = index
                default: break
                }
                count += 1
                from = index + 1
            }
        }
        // Made only when needed: verification splits every token.
        func segmentCount() -> LayabAuthError {
            LayabAuthError(.malformed, "a signed token has three segments separated by dots (header.payload.signature), found \(count > 4 ? "more than five" : String(count + 1))")
        }
        switch count {
        case 2:
            return .success(Segments(header: 0..<dots.0, payload: dots.0 + 1..<dots.1, signature: dots.1 + 1..<bytes.count))
        case 4:
            guard display else { return .failure(encrypted) }
            // JOSE header . encrypted key . initialization vector . ciphertext . authentication tag (RFC 7516 §7.1)
            return .success(Segments(header: 0..<dots.0, payload: dots.2 + 1..<dots.3, signature: dots.3 + 1..<bytes.count,
                                     encrypted: true, refusal: encrypted))
        case 1 where display:
            return .success(Segments(header: 0..<dots.0, payload: dots.0 + 1..<bytes.count, signature: nil, refusal: segmentCount()))
        default:
            return .failure(segmentCount())
        }
    }

    private static let encrypted = LayabAuthError(.encryptedTokenUnsupported, "the token has five segments: it is an encrypted JWT (JWE), which is not supported; only signed tokens (JWS) are")

    /// Decodes the segments. `display` records a refusal in ``refusal`` instead of throwing it, and goes on
    /// decoding what it can; a header that does not decode throws (the first refusal, when there is one).
    private static func decodeParts(_ token: String, _ bytes: UnsafeBufferPointer<UInt8>, _ segments: Segments,
                                    refusal initialRefusal: LayabAuthError?, display: Bool) throws(LayabAuthError) -> DecodedToken
    {
        var refusal = initialRefusal
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
        // Nothing to show without a header: the first refusal, when there is one, stays the one error, so that
        // a report and `verify` name the same first failure.
        let header: JOSEHeader
        do throws(LayabAuthError) {
            let (headerValue, positions) = try withSegment(segments.header, "header") { (header) throws(LayabAuthError) in
                if header.isEmpty { throw LayabAuthError(.malformed, "the header segment is empty") }
                do { return try JSONParser.parse(header, finding: JOSEHeader.memberNames) } catch {
                    throw LayabAuthError(.malformed, "the header is not valid JSON: \(error)")
                }
            }
            guard let headerObject = headerValue.objectValue else {
                throw LayabAuthError(.malformed, "the header must be a JSON object, found \(headerValue.typeName)")
            }
            header = try JOSEHeader(headerObject, positions: positions)
        } catch {
            throw refusal ?? error
        }
        if Algorithm.isNone(header.algorithmName) {
            try refuse(LayabAuthError(.unsupportedAlgorithm, "alg \"\(LayabAuthError.shown(header.algorithmName))\" (an unsecured token) is never accepted"))
        }
        if let b64 = header.unencodedPayload, b64 != .bool(true) {
            try refuse(LayabAuthError(.unsupportedCriticalHeader, "\"b64\": \(LayabAuthError.shown(b64.jsonText)) (RFC 7797 unencoded payload) is not supported"))
        }
        if let critical = header.critical {
            try refuse(LayabAuthError(.unsupportedCriticalHeader, "the header marks [\(LayabAuthError.shownList(critical, quoted: false))] as critical; LayabAuth implements no JWS extension, so it must refuse the token (RFC 7515 §4.1.11)"))
        }
        var claims: Claims?, payloadError: LayabAuthError?
        if segments.encrypted {
            // The same error as the refusal, so that a report names it once.
            payloadError = encrypted
        } else {
            do {
                (claims, payloadError) = try withSegment(segments.payload, "payload") { payload -> (Claims?, LayabAuthError?) in
                    do {
                        let (value, positions) = try JSONParser.parse(payload, finding: RegisteredClaim.names.known)
                        if let object = value.objectValue { return (Claims(object, positions: positions), nil) }
                        return (nil, LayabAuthError(.malformed, "the payload must be a JSON object of claims, found \(value.typeName)"))
                    } catch {
                        return (nil, LayabAuthError(.malformed, "the payload is not a JSON claims set: \(error)"))
                    }
                }
            } catch {
                try refuse(error)
                payloadError = error
            }
        }
        // Checked, not decoded: verification decodes the signature where it needs it.
        if !segments.encrypted, let signatureRange = segments.signature {
            let signatureLength: Int
            do { signatureLength = try Base64URL.validate(UnsafeBufferPointer(rebasing: bytes[signatureRange])) } catch {
                try refuse(LayabAuthError(.malformed, "the signature segment is not valid base64url: \(error)"))
                signatureLength = -1
            }
            if signatureLength == 0 { try refuse(LayabAuthError(.malformed, "the signature segment is empty")) }
        }
        return DecodedToken(raw: token, header: header, claims: claims, payloadError: payloadError, refusal: refusal,
                            isEncrypted: segments.encrypted, firstDot: segments.payload.lowerBound - 1, signingInputLength: segments.payload.upperBound)
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
            let input = UnsafeBufferPointer(rebasing: bytes[min(signingInputLength + 1, bytes.count)...])
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
