/// What a person debugging a refused token needs beyond the refusal: the one place the debugging tools'
/// explanations are made, so that `layabauth verify`, its `--json` output and the inspector say the same.
///
/// Nothing here changes a verdict a server gives: the hints ride in ``VerificationReport/hints``, which only
/// the tools show, and ``VerificationReport/checkingWeakKeys(_:)`` is only called by the tools.
extension Verifier {
    /// The most keys a diagnosis verifies a signature with: a key set of hundreds costs no more than this.
    static let diagnosedKeyLimit = 16

    /// Hints for `decoded`, whose signature outcome is `signature` (empty when it verified).
    func diagnosis(of decoded: DecodedToken, signature: VerificationReport.Signature) -> [String] {
        guard decoded.refusal == nil, let error = signature.error else { return [] }
        switch error.code {
        case .unsupportedAlgorithm: return caseVariantHint(decoded.header.algorithmName).map { [$0] } ?? []
        case .keyNotFound where decoded.header.kid == nil: return kidlessHint(decoded).map { [$0] } ?? []
        case .badSignature: return saltLengthHint(decoded).map { [$0] } ?? []
        default: return []
        }
    }

    /// An `alg` that differs from a registered name only in case: which spelling the issuer must send.
    private func caseVariantHint(_ name: String) -> String? {
        guard let registered = Algorithm.differingOnlyInCase(from: name) else { return nil }
        return "alg \"\(LayabAuthError.shown(name))\" differs from the registered name \"\(registered.rawValue)\" only in case: "
            + "algorithm names are case-sensitive (RFC 7515 §4.1.1), so the issuer must send \"\(registered.rawValue)\""
    }

    /// A token without `kid` that several keys fit: which of them (if any) verifies it, so that the fix, a
    /// `kid` in the header, is seen to be the issuer's.
    private func kidlessHint(_ decoded: DecodedToken) -> String? {
        guard let algorithm = decoded.header.algorithm else { return nil }
        let fitting = keys.keys.filter { unfitness(of: $0, for: algorithm) == nil }
        guard fitting.count > 1 else { return nil }
        let tried = fitting.prefix(Self.diagnosedKeyLimit)
        let allowRemoteHMAC = configuration.keyPolicy.allowRemoteHMACKeys
        guard let key = tried.first(where: { (try? $0.verifies(decoded, algorithm: algorithm, allowRemoteHMAC: allowRemoteHMAC)) == true }) else {
            let which = tried.count < fitting.count ? "the first \(tried.count) of the \(fitting.count) keys" : "the \(fitting.count) keys"
            return "none of \(which) that fit \(algorithm.rawValue) verifies the signature: the token was signed with another key"
        }
        let shape = "\(key.keyType.rawValue)\(key.curve.map { " \($0.rawValue)" } ?? ", \(key.bits) bits"), thumbprint \(key.thumbprint)"
        guard let kid = key.kid else {
            return "the key without a kid (\(shape)) verifies the signature, but \(fitting.count) keys fit \(algorithm.rawValue): "
                + "give that key a kid in the key set and have the issuer put it in the token's header"
        }
        return "key \"\(LayabAuthError.shown(kid))\" (\(shape)) verifies the signature, but \(fitting.count) keys fit \(algorithm.rawValue) "
            + "and the token names none: the issuer must put \"kid\": \"\(LayabAuthError.shown(kid))\" in the token's header"
    }

    /// An RSA-PSS signature made with a salt length other than the hash length: the length it verifies with.
    private func saltLengthHint(_ decoded: DecodedToken) -> String? {
        guard let algorithm = decoded.header.algorithm, algorithm.family == .rsaPSS, let hash = algorithm.hash,
              let digest = OpenSSLDigest.of(hash),
              let candidates = try? candidateKeys(kid: decoded.header.kid, algorithm: algorithm) else { return nil }
        for key in candidates.prefix(Self.diagnosedKeyLimit) {
            guard case let .asymmetric(openSSLKey) = key.backing else { continue }
            let found = try? decoded.withSignature { (signature) throws(LayabAuthError) in
                decoded.withSigningInput { input in openSSLKey.pssSaltLength(signature: signature, message: input, digest: digest) }
            }
            guard let length = found ?? nil else { continue }
            return "the \(algorithm.rawValue) signature verifies with the key (\(key.description)) when the salt is \(length) bytes long; "
                + "RFC 7518 §3.5 requires a salt as long as the hash (\(hash.byteCount) bytes), so it stays refused: "
                + "the issuer's signing library uses another salt length"
        }
        return nil
    }
}

extension VerificationReport {
    /// This report with `weakKeys` checked too, where verification found no usable key or a wrong signature:
    /// a signature that matches a weak key becomes `weak_key` (still invalid), naming the key and why it is
    /// refused; one that matches none of them, when no usable key was there, becomes `bad_signature` with
    /// the weakness as a hint. For the debugging tools only; a verifier never sees a weak key.
    package func checkingWeakKeys(_ weakKeys: [WeakKey]) -> VerificationReport {
        guard !weakKeys.isEmpty, let decoded, decoded.refusal == nil, let algorithm = decoded.header.algorithm,
              let error = signature.error, [.keyNotFound, .invalidKey, .badSignature].contains(error.code) else { return self }
        let fitting = weakKeys.filter { $0.weakness(for: algorithm) != nil }
        // As a verifier chooses: the keys the token's kid names, else those without a kid.
        let named = decoded.header.kid.map { kid in fitting.filter { $0.kid?.hasSameUTF8(as: kid) == true } } ?? fitting
        let candidates = named.isEmpty ? fitting.filter { $0.kid == nil } : named
        guard !candidates.isEmpty else { return self }
        let checked = candidates.prefix(Verifier.diagnosedKeyLimit)
        if let key = checked.first(where: { $0.matches(decoded, algorithm: algorithm) }), let rule = key.weakness(for: algorithm) {
            let refusal = LayabAuthError(.weakKey, "the \(algorithm.rawValue) signature matches \(key.shownName); refused: \(rule)")
            return replacingSignature(.invalid(refusal), hints: signatureHints)
        }
        // A usable key failed as well: its bad_signature stands, and the weak keys are a fact beside it.
        let either = error.code == .badSignature ? " does not verify the signature either, and" : ""
        let facts = checked.compactMap { key in key.weakness(for: algorithm).map { "\(key.shownName)\(either) is refused anyway: \($0)" } }
        guard error.code != .badSignature else { return replacingSignature(signature, hints: signatureHints + facts) }
        let with = checked.count == 1 ? checked[0].shownName : "any of \(checked.count) weak keys"
        let mismatch = LayabAuthError(.badSignature, "the \(algorithm.rawValue) signature does not match the signed content with \(with)")
        return replacingSignature(.invalid(mismatch), hints: signatureHints + facts)
    }

    private func replacingSignature(_ signature: Signature, hints: [String]) -> VerificationReport {
        VerificationReport(decoded: decoded, decodingError: decodingError, signature: signature, checks: checks, scopes: scopes, hints: hints,
                           claimHints: claimHints, authentication: authentication)
    }
}
