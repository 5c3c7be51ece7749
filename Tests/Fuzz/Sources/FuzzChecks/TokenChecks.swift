import LayabAuth

/// The key set, clock and configuration of the token targets. The seeds in Corpus/FuzzToken are signed with
/// these keys (make_corpus.py), so mutations start from tokens that verify.
public enum Fixture {
    public static let now = 1_800_000_000.0

    /// The public keys of make_corpus.py: RSA 2048, P-256 (alg ES256), P-384, P-521 without a kid, Ed25519.
    public static let publishedKeys = #"""
    {"keys":[{"kty":"RSA","kid":"rsa-1","n":"2fGhA2Cukht1FvbfDGa1gNiHmowYpwltd82ph5cOE674FGk3Tj2Ukg807rH119b8O7fRMYDWbDi81WTQcnBpnBj7xETNZYRJQAuOeyi5sBCxwy4GM-R4AINjEn2eG9FTlaLPg6uhMrwn4QBDpjRC579x6JOpXUPEY97xON5iWjX-Ega5GzYg8edOeD7vg4bFBSvunzhLpvH06bD9cpukX1LFIZGE_G2hsv-O33ZVX_DEP-WJjIAsgHWpqqfzuCN90vjLtli4co1zc-KCRqqUUpUSv7C3Ixo-ll8M4xXkG_ch8fhslAY6JxzqA29gfI2mwDDVWQKRMxFQCp04Ob00cQ","e":"AQAB"},{"kty":"EC","crv":"P-256","x":"bS2iGO_KDgLwYlO5xnXYewQzvfKuWyDd2CNhKgd-8fU","y":"z1swY-2sirGOrMpwKCN0rooQ62WRYQIEOF63lEO-Oyg","kid":"ec-256","alg":"ES256"},{"kty":"EC","crv":"P-384","x":"g6MKouyM2FA3EO83WjoC6RNwHSb3-HoizkB8K1GlM88tioQrnCUqs_dKLKIVtWFo","y":"sDqC3mSSZ0FWTnDR8t37v-5e6pIKdIP6FWNuCNbAe1VkHhDlTykCp6z4CSuaTSuZ","kid":"ec-384"},{"kty":"EC","crv":"P-521","x":"AayC4r2yQJw9MTUtWFesmHPY7zkTFzxp6IpgFcsfGjlZM0Lv1CED393NirXK4x1gpr4cdBBgL7JTDzYFgnZFijGp","y":"AaXIr6RtynZhhRDFkWQfYCxfEImyBfpl2BVKbGxy4zVynY4bwkity1gZqNYv2nOWA7ljWswH1Cj-U9TY4B4ZA1lk"},{"kty":"OKP","crv":"Ed25519","kid":"ed-1","x":"ebVWLo_mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ"}]}
    """#

    /// The published keys plus a configured HMAC secret (kid hs-1), which a JWK Set would refuse beside them.
    public static let keys: KeySet = {
        do {
            let published = try KeySet(jwksJSON: publishedKeys, origin: .remote)
            require(published.keys.count == 5 && published.skipped.isEmpty, "the fixed key set lost keys: \(published.skipped)")
            return published.merging(KeySet(keys: [hmacSigner().verificationKey]))
        } catch {
            fatalError("the fixed key set does not import: \(error)")
        }
    }()

    /// The configured HMAC secret (kid hs-1, HS256): FuzzSignedToken signs with it, so its tokens verify.
    ///
    /// A function, not a stored key: a `SigningKey` kept in a global holds its OpenSSL context through an
    /// enum payload whose spare pointer bits carry the case, which LeakSanitizer cannot follow, so it would
    /// report the context as leaked on every input.
    public static func hmacSigner() -> SigningKey {
        do { return try SigningKey(hmacSecret: Array(0x40..<0x60), algorithm: .hs256, kid: "hs-1") } catch {
            fatalError("the fixed HMAC secret does not import: \(error)")
        }
    }

    static func configuration(_ kidless: VerifierConfiguration.KidlessPolicy) -> VerifierConfiguration {
        VerifierConfiguration(algorithms: Set(Algorithm.allCases), issuers: ["https://issuer.example"], audiences: ["api"],
                              kidlessPolicy: kidless, clock: { now })
    }

    public static let verifier = fixedVerifier(.singleCompatibleKey)
    /// Tries several keys for a token without a kid: the other path through key selection.
    public static let tryingVerifier = fixedVerifier(.tryCompatibleKeys(limit: 3))

    static func fixedVerifier(_ kidless: VerifierConfiguration.KidlessPolicy) -> Verifier {
        do { return try Verifier(keys: keys, configuration: configuration(kidless)) } catch {
            fatalError("the fixed configuration is refused: \(error)")
        }
    }

    /// What `DecodedToken.decode` documents that it throws.
    public static let decodeCodes: Set<LayabAuthError.Code> = [.tokenTooLarge, .encryptedTokenUnsupported, .malformed,
                                                               .unsupportedAlgorithm, .unsupportedCriticalHeader]
    /// What verification may add once the token decodes.
    public static let verifyCodes = decodeCodes.union([.algorithmNotAllowed, .keyNotFound, .invalidKey, .badSignature, .expired,
                                                       .notYetValid, .issuedInFuture, .issuerMismatch, .audienceMismatch,
                                                       .missingClaim, .invalidClaim, .insufficientScope])
}

/// Everything the token targets assert about one token: the size caps, the decoded segments, verification.
/// - Returns: the decoded token, when it decodes.
@discardableResult
public func checkToken(_ token: String) -> DecodedToken? {
    let size = token.utf8.count
    let segments = token.split(separator: ".", omittingEmptySubsequences: false)
    for segment in segments { checkCanonicalBase64URL(segment, "segment") }

    // The size cap holds exactly: one byte over refuses with token_too_large before any parsing, at the cap
    // the answer is the default cap's.
    let decoded: DecodedToken?
    do {
        decoded = try DecodedToken.decode(token)
    } catch {
        checkError(error, allowed: Fixture.decodeCodes, "decode")
        require((error.code == .tokenTooLarge) == (size > DecodedToken.defaultMaximumSize), "decode: \(error) for \(size) bytes")
        decoded = nil
    }
    if size > 0 {
        do {
            _ = try DecodedToken.decode(token, maximumSize: size - 1)
            require(false, "decode accepted \(size) bytes with a cap of \(size - 1)")
        } catch {
            require(error.code == .tokenTooLarge, "decode over the cap threw \(error.code.rawValue), not token_too_large")
        }
    }
    if size <= DecodedToken.defaultMaximumSize {
        let atCap = Result { () throws(LayabAuthError) in try DecodedToken.decode(token, maximumSize: size) }
        switch atCap {
        case .success: require(decoded != nil, "decode at the cap accepted what the default cap refused")
        case let .failure(error): require(decoded == nil && error.code != .tokenTooLarge, "decode at the cap: \(error)")
        }
    }

    if let decoded { checkDecoded(decoded, segments) }
    checkDisplayDecoding(token, strict: decoded)
    checkVerification(token, decoded: decoded, segments: segments)
    return decoded
}

/// Decoding for display differs from `decode` only on a refusal: it returns the token with `refusal`
/// set to the error `decode` throws, or throws that same error.
func checkDisplayDecoding(_ token: String, strict: DecodedToken?) {
    let strictError: LayabAuthError?
    do { _ = try DecodedToken.decode(token); strictError = nil } catch { strictError = error }
    do {
        let shown = try DecodedToken.decodeForDisplay(token)
        if let strict {
            require(shown.refusal == nil, "display decoding refused what decode accepted: \(shown.refusal?.description ?? "")")
            require(shown.header.members == strict.header.members && shown.payload == strict.payload && shown.signature == strict.signature,
                    "display decoding and decode disagree on the segments")
        } else {
            require(shown.refusal != nil && shown.refusal == strictError,
                    "display decoding returned refusal \(shown.refusal?.description ?? "nil") where decode threw \(strictError?.description ?? "nil")")
        }
    } catch {
        require(strict == nil && error == strictError, "display decoding threw \(error), decode \(strictError?.description ?? "accepted")")
    }
}

/// A decoded token is three canonical base64url segments whose bytes are the ones the token carries.
func checkDecoded(_ decoded: DecodedToken, _ segments: [Substring]) {
    require(segments.count == 3, "decode accepted \(segments.count) segments")
    require(decoded.raw.utf8.elementsEqual(segments.joined(separator: ".").utf8), "raw is not the input")
    let headerBytes = try? Base64URL.decode(String(segments[0]))
    require(headerBytes.map { Base64URL.encode($0) } == String(segments[0]), "the header segment is not canonical base64url")
    require(Base64URL.encode(decoded.payload) == String(segments[1]), "the payload does not re-encode to its segment")
    require(Base64URL.encode(decoded.signature) == String(segments[2]), "the signature does not re-encode to its segment")
    require(!decoded.signature.isEmpty, "decode accepted an empty signature")
    require(decoded.header.algorithmName.lowercased() != "none", "decode accepted alg none")
    require(decoded.header.critical == nil, "decode accepted crit \(decoded.header.critical ?? [])")
    require((decoded.claims == nil) != (decoded.payloadError == nil), "claims and payloadError are both set or both nil")
    if let error = decoded.payloadError { checkError(error, allowed: [.malformed], "payload") }
    checkJSONRoundTrip(.object(decoded.header.members), "header")
    if let claims = decoded.claims { checkJSONRoundTrip(claims.json, "claims") }
}

/// `verify` accepts only what decodes, with a key of the set, and agrees with `report`.
func checkVerification(_ token: String, decoded: DecodedToken?, segments: [Substring]) {
    let verifier = decoded?.header.kid == nil && decoded != nil ? Fixture.tryingVerifier : Fixture.verifier
    for requirement in [nil, ScopeRequirement.all("read")] {
        let report = verifier.report(token, requiring: requirement)
        do {
            let verified = try verifier.verify(token, requiring: requirement)
            require(segments.count == 3, "verify accepted \(segments.count) segments")
            guard let key = verified.key, let header = verified.header else { return require(false, "a JWS verified without a key or header") }
            require(decoded != nil, "verify accepted a token that does not decode")
            require(verified.raw == token, "the verified token is not the input")
            require(Fixture.keys.keys.contains { $0.thumbprint == key.thumbprint }, "verified with a key outside the set")
            require(header.algorithm.map { key.incompatibility(with: $0) == nil } == true,
                    "verified \(header.algorithmName) with \(key), which does not fit it")
            // The claims checks, restated: 30 s of leeway each way, exact iss and aud, the required scope granted.
            require(verified.claims.expiresAt.map { $0 + 30 > Fixture.now } == true, "verified a token without a valid exp")
            require(verified.claims.notBefore.map { $0 <= Fixture.now + 30 } != false, "verified a token before its nbf")
            require(verified.claims.issuedAt.map { $0 <= Fixture.now + 30 } != false, "verified a token issued in the future")
            require(requirement == nil || verified.scopes.contains("read"), "verified scopes \(verified.scopes) without read")
            require(verified.claims.issuer?.utf8.elementsEqual("https://issuer.example".utf8) == true, "verified issuer \(verified.claims.issuer ?? "nil")")
            require(verified.claims.audience?.contains { $0.utf8.elementsEqual("api".utf8) } == true, "verified audience \(verified.claims.audience ?? [])")
            require(report.isValid, "verify accepted, report lists \(report.errors.map(\.code.rawValue))")
            require(report.signature.key?.thumbprint == key.thumbprint, "report and verify chose different keys")
            trace("verify(\(requirement?.description ?? "no scopes")): valid with \(key)")
        } catch {
            checkError(error, allowed: Fixture.verifyCodes, "verify")
            require(report.errors.first == error, "verify threw \(error), report lists \(report.errors.map(\.description))")
            trace("verify(\(requirement?.description ?? "no scopes")): \(error)")
        }
        for error in report.errors { checkError(error, allowed: Fixture.verifyCodes, "report") }
    }
    if let (verifiedToken, key) = try? verifier.verifySignature(token) {
        require(verifiedToken.raw == token && segments.count == 3, "verifySignature accepted \(segments.count) segments")
        require(Fixture.keys.keys.contains { $0.thumbprint == key.thumbprint }, "verifySignature used a key outside the set")
    }
}
