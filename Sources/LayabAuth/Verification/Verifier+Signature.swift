extension Verifier {
    /// The key that verifies `token`'s signature.
    ///
    /// Order of checks: the algorithm is implemented and allowed; candidate keys are chosen by `kid` (keys
    /// without a `kid` stand in when no key carries the token's `kid`); each candidate must fit the
    /// algorithm; then the signature is checked with OpenSSL. Header members that carry keys (`jwk`, `jku`,
    /// `x5u`, `x5c`) are never consulted.
    func verifiedKey(for token: DecodedToken) throws(LayabAuthError) -> VerificationKey {
        let header = token.header
        guard let algorithm = header.algorithm else {
            throw LayabAuthError(.unsupportedAlgorithm, "alg \"\(LayabAuthError.shown(header.algorithmName))\" is not a JWS signature algorithm LayabAuth implements (\(Algorithm.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard configuration.algorithms.contains(algorithm) else {
            throw LayabAuthError(.algorithmNotAllowed, "alg \(algorithm.rawValue) is not allowed here (allowed: \(configuration.algorithms.map(\.rawValue).sorted().joined(separator: ", ")))",
                                 clientMessage: "alg \(algorithm.rawValue) is not allowed here")
        }
        // The common case, without building candidate lists: the kid names one key, and it fits.
        if let kid = header.kid, let key = keys.onlyKey(withKid: kid), unfitness(of: key, for: algorithm) == nil {
            if try key.verifies(token, algorithm: algorithm, allowRemoteHMAC: configuration.keyPolicy.allowRemoteHMACKeys) { return key }
            throw LayabAuthError(.badSignature, "the \(algorithm.rawValue) signature does not match the signed content with \(key.description)",
                                 clientMessage: Self.signatureMismatch(algorithm))
        }
        let candidates = try candidateKeys(kid: header.kid, algorithm: algorithm)
        // Keys without a kid standing in for a kid that no key carries: if none of them verifies, the kid is
        // still unknown, and key_not_found (not bad_signature) lets a key source refresh for a rotated-in key.
        let standingIn = header.kid.map { keys.keys(withKid: $0).isEmpty } ?? false
        var shapeErrors: [LayabAuthError] = []
        for key in candidates {
            do {
                if try key.verifies(token, algorithm: algorithm, allowRemoteHMAC: configuration.keyPolicy.allowRemoteHMACKeys) { return key }
            } catch {
                // A signature of the wrong shape for one candidate (an RSA key of another size) may be right for the next.
                guard candidates.count > 1 || standingIn, error.code == .badSignature else { throw error }
                shapeErrors.append(error)
            }
        }
        if standingIn, let kid = header.kid {
            let some = candidates.count == 1 ? "the key without a kid (\(candidates[0].description)) does" : "none of the \(candidates.count) keys without a kid does"
            throw LayabAuthError(.keyNotFound, "no key has kid \"\(LayabAuthError.shown(kid))\", and \(some) not verify the \(algorithm.rawValue) signature",
                                 clientMessage: "no key has kid \"\(LayabAuthError.shown(kid))\"")
        }
        if candidates.count == 1 {
            throw LayabAuthError(.badSignature, "the \(algorithm.rawValue) signature does not match the signed content with \(candidates[0].description)",
                                 clientMessage: Self.signatureMismatch(algorithm))
        }
        let shapes = shapeErrors.isEmpty ? "" : " (\(shapeErrors.count) refused the signature's shape, e.g. \(shapeErrors[0].message))"
        throw LayabAuthError(.badSignature, "the \(algorithm.rawValue) signature does not match the signed content with any of \(candidates.count) candidate keys\(shapes)",
                             clientMessage: Self.signatureMismatch(algorithm))
    }

    /// What a client is told of a signature that does not match (the key that was tried is the server's business).
    static func signatureMismatch(_ algorithm: Algorithm) -> String {
        "the \(algorithm.rawValue) signature does not match the signed content"
    }

    /// Why `key` may not verify `algorithm` under this configuration, or nil when it may: the key's own
    /// binding (``VerificationKey/incompatibility(with:allowRemoteHMAC:)``), then the key policy's minimum
    /// RSA size, which also holds for keys that were built under a laxer policy (a ``SigningKey``'s own
    /// verification key accepts 1024 bits).
    func unfitness(of key: VerificationKey, for algorithm: Algorithm) -> String? {
        if let reason = key.incompatibility(with: algorithm, allowRemoteHMAC: configuration.keyPolicy.allowRemoteHMACKeys) { return reason }
        let minimum = configuration.keyPolicy.minimumRSABits
        if key.keyType == .rsa, key.bits < minimum {
            return "the RSA key has \(key.bits) bits, at least \(minimum) are required (keyPolicy.minimumRSABits)"
        }
        return nil
    }

    func candidateKeys(kid: String?, algorithm: Algorithm) throws(LayabAuthError) -> [VerificationKey] {
        if keys.isEmpty {
            let client = "no key is available to verify this token"
            if keys.skipped.isEmpty { throw LayabAuthError(.keyNotFound, "no verification keys are configured", clientMessage: client) }
            let reasons = keys.skipped.prefix(4).map(\.description).joined(separator: "; ")
            throw LayabAuthError(.keyNotFound, "no usable verification keys: \(keys.skipped.count) skipped (\(reasons))", clientMessage: client)
        }
        if let kid {
            let named = keys.keys(withKid: kid)
            if !named.isEmpty {
                let fitting = named.filter { unfitness(of: $0, for: algorithm) == nil }
                guard !fitting.isEmpty else {
                    let reason = unfitness(of: named[0], for: algorithm) ?? "it does not fit"
                    throw LayabAuthError(.invalidKey, "key \"\(LayabAuthError.shown(kid))\" cannot verify this token: \(reason)",
                                         clientMessage: "key \"\(LayabAuthError.shown(kid))\" cannot verify this token")
                }
                guard fitting.count == 1 else {
                    throw LayabAuthError(.invalidKey, "\(fitting.count) keys share kid \"\(LayabAuthError.shown(kid))\" and fit \(algorithm.rawValue): the key set is ambiguous",
                                         clientMessage: "the key named by kid \"\(LayabAuthError.shown(kid))\" cannot be chosen")
                }
                return fitting
            }
        }
        // No kid in the token, or no key carries it: keys without a kid may stand in.
        let pool = kid == nil ? keys.keys : keys.keys.filter { $0.kid == nil }
        let fitting = pool.filter { unfitness(of: $0, for: algorithm) == nil }
        if let kid, fitting.isEmpty {
            let known = keys.keys.compactMap(\.kid)
            let list = known.isEmpty ? "the keys have no kid" : "known: \(LayabAuthError.shownList(known))"
            if let skipped = keys.skipped.first(where: { $0.kid?.hasSameUTF8(as: kid) == true }) {
                throw LayabAuthError(.keyNotFound, "the key with kid \"\(LayabAuthError.shown(kid))\" was skipped: \(skipped.reason)",
                                     clientMessage: "no usable key has kid \"\(LayabAuthError.shown(kid))\"")
            }
            throw LayabAuthError(.keyNotFound, "no key has kid \"\(LayabAuthError.shown(kid))\" (\(list))",
                                 clientMessage: "no key has kid \"\(LayabAuthError.shown(kid))\"")
        }
        if fitting.isEmpty {
            throw LayabAuthError(.keyNotFound, "the token has no kid and none of the \(keys.keys.count) keys fits \(algorithm.rawValue)",
                                 clientMessage: "the token has no kid and no key fits \(algorithm.rawValue)")
        }
        switch configuration.kidlessPolicy {
        case .singleCompatibleKey:
            guard fitting.count == 1 else {
                throw LayabAuthError(.keyNotFound, "the token has no kid and \(fitting.count) keys fit \(algorithm.rawValue); a kid is required to choose",
                                     clientMessage: "the token has no kid, which is required to choose its key")
            }
            return fitting
        case let .tryCompatibleKeys(limit):
            return Array(fitting.prefix(max(1, limit)))
        }
    }

}

extension VerificationKey {
    /// Checks `token`'s signature with this key. A mismatch returns false; a signature of the wrong shape
    /// throws `bad_signature` saying what shape was expected.
    func verifies(_ token: DecodedToken, algorithm: Algorithm, allowRemoteHMAC: Bool) throws(LayabAuthError) -> Bool {
        try token.withSignature { (signature) throws(LayabAuthError) in
            let result = token.withSigningInput { input in
                Result { () throws(LayabAuthError) in
                    try verifySignature(bytes: signature, over: input, algorithm: algorithm, allowRemoteHMAC: allowRemoteHMAC)
                }
            }
            return try result.get()
        }
    }

    /// Verifies a JWS signature (in JWS form: raw r‖s for ECDSA) over `message` with this key.
    ///
    /// This is the primitive under token verification, public for conformance testing and for callers
    /// that sign something other than a JWS. It applies the same key/algorithm binding as tokens do.
    /// - Returns: false when the signature does not match.
    /// - Throws: `invalid_key` when the key cannot be used with `algorithm`; `bad_signature` when the
    ///   signature has the wrong shape (length, ECDSA range).
    public func verifySignature(_ signature: [UInt8], over message: UnsafeRawBufferPointer, algorithm: Algorithm,
                                allowRemoteHMAC: Bool = false) throws(LayabAuthError) -> Bool
    {
        let result = signature.withUnsafeBytes { signature in
            Result { () throws(LayabAuthError) in
                try verifySignature(bytes: signature, over: message, algorithm: algorithm, allowRemoteHMAC: allowRemoteHMAC)
            }
        }
        return try result.get()
    }

    /// ``verifySignature(_:over:algorithm:allowRemoteHMAC:)`` over borrowed signature bytes: verification
    /// decodes the signature into a temporary buffer and never copies it into an array.
    func verifySignature(bytes signature: UnsafeRawBufferPointer, over message: UnsafeRawBufferPointer, algorithm: Algorithm,
                         allowRemoteHMAC: Bool) throws(LayabAuthError) -> Bool
    {
        if let reason = incompatibility(with: algorithm, allowRemoteHMAC: allowRemoteHMAC) {
            throw LayabAuthError(.invalidKey, reason, clientMessage: "the key cannot verify \(algorithm.rawValue) signatures")
        }
        switch backing {
        case .hmac:
            guard let mac = hmacKey(for: algorithm) else { return false }
            do {
                return try mac.verify(tag: signature, message: message)
            } catch {
                throw LayabAuthError(.badSignature, "HMAC computation failed: \(error)")
            }
        case let .asymmetric(key):
            let digest = algorithm.hash.flatMap(OpenSSLDigest.of)
            var padding: RSAPadding?
            switch algorithm.family {
            case .rsaPKCS1, .rsaPSS:
                let expected = (bits + 7) / 8
                guard signature.count == expected else {
                    throw LayabAuthError(.badSignature, "an RSA signature with a \(bits)-bit key has \(expected) bytes, found \(signature.count)",
                                         clientMessage: "the RSA signature's length (\(signature.count) bytes) does not fit the key")
                }
                padding = algorithm.family == .rsaPSS ? .pss : .pkcs1
            case .ecdsa:
                guard let curve else { return false }
                let width = curve.coordinateByteCount
                guard signature.count == 2 * width else {
                    throw LayabAuthError(.badSignature, "an \(algorithm.rawValue) signature is r‖s of \(2 * width) bytes, found \(signature.count)\(signature.first == 0x30 ? " (DER encoding is not JWS)" : "")")
                }
                guard let order = curve.order, Self.inRange(UnsafeRawBufferPointer(rebasing: signature[0..<width]), order),
                      Self.inRange(UnsafeRawBufferPointer(rebasing: signature[width...]), order) else {
                    throw LayabAuthError(.badSignature, "the ECDSA signature's r or s is zero or not below the curve order")
                }
                let result = ECDSASignatureEncoding.withDER(fromRaw: signature) { der in
                    Result { () throws(LayabAuthError) in try verify(key, signature: der, message: message, digest: digest, padding: nil) }
                }
                return try result.get()
            case .eddsa:
                guard let curve, signature.count == 2 * curve.coordinateByteCount else {
                    throw LayabAuthError(.badSignature, "an EdDSA signature on \(curve?.rawValue ?? "this curve") has \(2 * (curve?.coordinateByteCount ?? 0)) bytes, found \(signature.count)")
                }
            case .hmac:
                return false
            }
            return try verify(key, signature: signature, message: message, digest: digest, padding: padding)
        }
    }

    private func verify(_ key: OpenSSLKey, signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, digest: OpenSSLDigest?,
                        padding: RSAPadding?) throws(LayabAuthError) -> Bool
    {
        do {
            return try key.verify(signature: signature, message: message, digest: digest, padding: padding)
        } catch {
            throw LayabAuthError(.invalidKey, "OpenSSL could not verify with \(description): \(error)", clientMessage: "the signature could not be checked")
        }
    }

    /// Convenience for byte arrays.
    public func verifySignature(_ signature: [UInt8], over message: [UInt8], algorithm: Algorithm, allowRemoteHMAC: Bool = false) throws(LayabAuthError) -> Bool {
        let result = message.withUnsafeBytes { buffer in
            Result { () throws(LayabAuthError) in try verifySignature(signature, over: buffer, algorithm: algorithm, allowRemoteHMAC: allowRemoteHMAC) }
        }
        return try result.get()
    }

    /// 0 < value < order, both big-endian.
    static func inRange(_ value: UnsafeRawBufferPointer, _ order: [UInt8]) -> Bool {
        var v = 0
        while v < value.count, value[v] == 0 { v += 1 }
        if v == value.count { return false }
        var n = 0
        while n < order.count, order[n] == 0 { n += 1 }
        let valueLength = value.count - v, orderLength = order.count - n
        if valueLength != orderLength { return valueLength < orderLength }
        while v < value.count {
            if value[v] != order[n] { return value[v] < order[n] }
            v += 1
            n += 1
        }
        return false
    }
}
