/// A DPoP proof (RFC 9449 §4) whose form, key and signature were checked: what the binding rules compare
/// with the request and the token.
public struct DPoPProof: Sendable {
    /// The proof as received.
    public let raw: String
    public let header: JOSEHeader
    public let algorithm: Algorithm
    /// The public key of the header's `jwk`, which verified the signature.
    public let key: VerificationKey
    public let jti: String
    /// `htm`, the HTTP method the proof is for.
    public let method: String
    /// `htu`, the URI the proof is for, as the client wrote it.
    public let uri: String
    /// `iat`, seconds since 1970.
    public let issuedAt: Double
    /// `ath`: base64url(SHA-256(access token)), when present.
    public let accessTokenHash: String?
    /// `nonce`, when present.
    public let nonce: String?
    /// Whether the signature verified with ``key``: always true for a proof ``verify(_:policy:)`` returns (only
    /// the reports of the binding rules look at a proof whose signature failed).
    public let signatureVerified: Bool

    /// JWK members that only a private key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2): a proof that
    /// carries one has leaked its key.
    static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    /// Reads and verifies a proof: one compact JWS; `typ` exactly `dpop+jwt` (§4.2); an asymmetric `alg` the
    /// policy allows; a public `jwk` (no private member, no secret key) that verifies the signature; the
    /// claims `jti` (a string of at most ``SenderConstraintPolicy/maximumJTILength`` bytes), `htm`, `htu`
    /// (strings), `iat` (a NumericDate), and `ath` and `nonce` (strings) when present. Whether the proof fits
    /// the request and the token is for the binding rules.
    /// - Throws: `invalid_dpop_proof` saying what is wrong.
    public static func verify(_ proof: String, policy: SenderConstraintPolicy) throws(LayabAuthError) -> DPoPProof {
        let read = try read(proof, policy: policy)
        if let error = read.signatureError { throw error }
        return read
    }

    /// ``verify(_:policy:)`` that returns a proof whose signature does not verify (``signatureVerified`` false)
    /// instead of throwing, so that a report can still compare its claims with the request.
    static func read(_ proof: String, policy: SenderConstraintPolicy) throws(LayabAuthError) -> DPoPProof {
        if proof.utf8.count > policy.maximumProofSize {
            throw invalid("the proof has \(proof.utf8.count) bytes, the limit is \(policy.maximumProofSize)")
        }
        let decoded: DecodedToken
        do {
            decoded = try DecodedToken.decode(proof, maximumSize: policy.maximumProofSize)
        } catch {
            throw invalid(error.message)
        }
        if decoded.isEncrypted { throw invalid("the proof is a JWE; a DPoP proof is a signed JWT (RFC 9449 §4.2)") }
        let header = decoded.header
        guard let type = header.type else { throw invalid("the header has no typ; a DPoP proof has typ \"dpop+jwt\" (RFC 9449 §4.2)") }
        guard type.hasSameUTF8(as: "dpop+jwt") else {
            throw invalid("the header's typ is \"\(LayabAuthError.shown(type))\", a DPoP proof has \"dpop+jwt\" (RFC 9449 §4.2)")
        }
        guard let algorithm = header.algorithm, algorithm.family != .hmac, policy.proofAlgorithms.contains(algorithm) else {
            throw invalid("alg \"\(LayabAuthError.shown(header.algorithmName))\" is not accepted for DPoP proofs (accepted: \(policy.algorithmNames.joined(separator: ", ")))")
        }
        guard let jwkValue = header["jwk"] else { throw invalid("the header has no jwk (RFC 9449 §4.2)") }
        guard let jwk = jwkValue.objectValue else { throw invalid("the header's jwk is \(jwkValue.typeName), not an object") }
        if let member = privateMembers.first(where: { jwk[$0] != nil }) {
            throw invalid("the header's jwk carries the private member \"\(member)\"; a proof carries the public key only")
        }
        let key: VerificationKey
        do {
            // A client signs its proofs with one key: imported once, then found by the JWK's exact bytes.
            key = try DPoPKeyCache.shared.key(for: jwk) { jwk throws(LayabAuthError) in try VerificationKey(jwk: jwk, origin: .remote) }
        } catch {
            throw invalid("the header's jwk: \(error.message)")
        }
        if let reason = key.incompatibility(with: algorithm) { throw invalid("the header's jwk cannot verify \(algorithm.rawValue): \(reason)") }
        let verified: Bool
        do {
            verified = try key.verifies(decoded, algorithm: algorithm, allowRemoteHMAC: false)
        } catch {
            throw invalid(error.message)
        }
        let claims: Claims
        do {
            claims = try decoded.requireClaims()
        } catch {
            throw invalid(error.message)
        }
        func string(_ name: String, required: Bool = true) throws(LayabAuthError) -> String? {
            guard let value = claims[name] else {
                if required { throw invalid("the claim \"\(name)\" is missing (RFC 9449 §4.2)") }
                return nil
            }
            guard let text = value.stringValue else { throw invalid("\"\(name)\" must be a string, found \(value.typeName)") }
            return text
        }
        guard let jti = try string("jti"), let method = try string("htm"), let uri = try string("htu") else {
            throw invalid("the proof lacks jti, htm or htu")
        }
        if jti.isEmpty || jti.utf8.count > policy.maximumJTILength {
            throw invalid("\"jti\" has \(jti.utf8.count) bytes; between 1 and \(policy.maximumJTILength) are accepted")
        }
        let iat: Double?
        do {
            iat = try NumericDate.read(claims[.iat], named: "iat")
        } catch {
            throw invalid(error.message)
        }
        guard let issuedAt = iat else { throw invalid("the claim \"iat\" is missing (RFC 9449 §4.2)") }
        return DPoPProof(raw: proof, header: header, algorithm: algorithm, key: key, jti: jti, method: method, uri: uri, issuedAt: issuedAt,
                         accessTokenHash: try string("ath", required: false), nonce: try string("nonce", required: false),
                         signatureVerified: verified)
    }

    /// `invalid_dpop_proof` for a signature that does not verify with the proof's `jwk`; nil when it does.
    var signatureError: LayabAuthError? {
        signatureVerified ? nil : Self.invalid("the \(algorithm.rawValue) signature does not verify with the proof's jwk")
    }

    static func invalid(_ reason: String) -> LayabAuthError {
        LayabAuthError(.invalidDPoPProof, "the DPoP proof is refused: \(reason)")
    }

    /// How a refusal for a proof used before ends: what ``LayabAuthError/isDPoPReplay`` recognises.
    static let replayReason = "was used before (RFC 9449 §11.1)"

    /// base64url(SHA-256(ASCII(token))), the `ath` of a proof sent with `token` (RFC 9449 §4.2).
    public static func accessTokenHash(of token: String) -> String {
        // "!" is no base64url: if OpenSSL cannot hash, no ath matches.
        SHA256.digest(Array(token.utf8)).map { Base64URL.encode($0) } ?? "!"
    }
}

extension LayabAuthError {
    /// Whether this refuses a DPoP proof because its `jti` was used before (RFC 9449 §11.1): what servers
    /// count as a replay.
    package var isDPoPReplay: Bool {
        code == .invalidDPoPProof && message.hasSuffix(DPoPProof.replayReason)
    }
}
