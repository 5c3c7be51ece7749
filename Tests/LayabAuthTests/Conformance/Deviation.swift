import LayabAuth

/// A deliberate disagreement between LayabAuth and a vector's verdict. Each case is asserted by the suite with
/// its exact outcome and listed with its reason in docs/conformance.md.
enum Deviation: String, Sendable, CaseIterable {
    /// Wycheproof HMAC groups whose key is shorter than the hash output (RFC 7518 §3.2 requires at least as long).
    case hmacKeyShorterThanHash
    /// Wycheproof RSA PKCS#1 groups with public exponent 3 (flag SmallPublicKey).
    case rsaPublicExponentBelow65537
    /// RFC 7520 figure 20 as Wycheproof stores it: a key with `alg: PS256` checking a `PS384` token.
    case keyAlgorithmDiffersFromHeader
    /// RFC 7520 figure 27 as Wycheproof stores it: a key with `alg: ES521`, which no specification defines.
    case keyAlgorithmNotJWS
    /// Wycheproof base64 cases with a `?` inserted in the header or payload, marked valid.
    case base64CharacterOutsideAlphabet
    /// Wycheproof tcIds 367 and 370, marked invalid but byte-identical to the valid tcId 357.
    case vectorIdenticalToValidVector
    /// Valid JWE vectors: LayabAuth verifies signed tokens only.
    case encryptedTokenUnsupported
    /// Valid JWS in JSON serialization: LayabAuth accepts the compact serialization only.
    case jsonSerializationUnsupported
    /// RFC 7797 `b64: false`: LayabAuth implements no JWS extension and refuses `crit`.
    case unencodedPayloadUnsupported
    /// RFC 7515 Appendix F detached content, checked as transmitted (empty payload segment).
    case detachedContentAsTransmitted

    enum Expected: Sendable {
        case accepted
        case rejected(ExpectedRejection)
    }

    /// What LayabAuth does instead of what the vector says.
    var expected: Expected {
        switch self {
        case .hmacKeyShorterThanHash: .rejected(ExpectedRejection(.invalidKey, "RFC 7518 §3.2"))
        case .rsaPublicExponentBelow65537: .rejected(ExpectedRejection(.invalidKey, "public exponent"))
        case .keyAlgorithmDiffersFromHeader: .rejected(ExpectedRejection(.invalidKey, "the key is for PS256, the token uses PS384"))
        case .keyAlgorithmNotJWS: .rejected(ExpectedRejection(.keyNotFound, "ES521"))
        case .base64CharacterOutsideAlphabet: .rejected(ExpectedRejection(.malformed, "not valid base64url"))
        case .vectorIdenticalToValidVector: .accepted
        case .encryptedTokenUnsupported: .rejected(ExpectedRejection(.encryptedTokenUnsupported))
        case .jsonSerializationUnsupported: .rejected(ExpectedRejection(.malformed, "JSON serialization"))
        case .unencodedPayloadUnsupported: .rejected(ExpectedRejection(.unsupportedCriticalHeader, "b64"))
        case .detachedContentAsTransmitted: .rejected(ExpectedRejection(.badSignature))
        }
    }

    /// Why, in one sentence (the summary prints it; docs/conformance.md explains at length).
    var reason: String {
        switch self {
        case .hmacKeyShorterThanHash: "HMAC keys shorter than the hash are refused (RFC 7518 §3.2)"
        case .rsaPublicExponentBelow65537: "RSA public exponents below 65537 are refused (NIST SP 800-56B, FIPS 186-5)"
        case .keyAlgorithmDiffersFromHeader: "a key's alg binds it to that algorithm (RFC 7517 §4.4, RFC 8725 §3.1)"
        case .keyAlgorithmNotJWS: "a key whose alg names no JWS algorithm is refused at import"
        case .base64CharacterOutsideAlphabet: "base64url is decoded strictly: '?' is not in the alphabet (RFC 7515 §2)"
        case .vectorIdenticalToValidVector: "the token equals the valid tcId 357 byte for byte; the padding the test intends was lost"
        case .encryptedTokenUnsupported: "encrypted tokens (JWE) are refused, not decrypted"
        case .jsonSerializationUnsupported: "only the compact serialization is accepted"
        case .unencodedPayloadUnsupported: "RFC 7797 is not implemented; crit makes the token unacceptable (RFC 7515 §4.1.11)"
        case .detachedContentAsTransmitted: "no detached-content API: the empty payload is verified as is, and fails"
        }
    }
}
