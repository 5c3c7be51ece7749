/// A key the debugging tools keep although a verifier refuses it as too weak: an HMAC secret shorter than the
/// hash (RFC 7518 §3.2) or an RSA key under the key policy's minimum (RFC 7518 §3.3, §3.5).
///
/// It never enters a ``KeySet``: ``VerificationReport/checkingWeakKeys(_:)`` checks a token's signature with
/// it after verification failed, so that "the signature matches this key" and "the key is refused" are shown
/// apart (code `weak_key`, the token still refused).
package struct WeakKey: Sendable {
    enum Material: Sendable {
        case hmacSecret([UInt8])
        /// An RSA key imported under a policy without a minimum size, and the minimum of the policy that refuses it.
        case rsa(VerificationKey, minimumBits: Int)
    }

    let material: Material
    package let kid: String?

    /// A secret too short for at least one HMAC algorithm (under 64 bytes, the size of SHA-512); nil otherwise.
    package static func hmacSecret(_ secret: [UInt8], kid: String? = nil) -> WeakKey? {
        guard secret.count < HashFunction.sha512.byteCount else { return nil }
        return WeakKey(material: .hmacSecret(secret), kid: kid)
    }

    /// `key` when it is an RSA key under `policy`'s minimum size; nil otherwise.
    package init?(_ key: VerificationKey, policy: KeyPolicy = .default) {
        guard key.keyType == .rsa, key.bits < policy.minimumRSABits else { return nil }
        self.init(material: .rsa(key, minimumBits: policy.minimumRSABits), kid: key.kid)
    }

    private init(material: Material, kid: String?) {
        self.material = material
        self.kid = kid
    }

    /// The key as a message names it: "this 19-byte secret", "the 1024-bit RSA key "old"".
    package var shownName: String {
        switch material {
        case let .hmacSecret(secret): return "this \(secret.count)-byte secret"
        case let .rsa(key, _): return "the \(key.bits)-bit RSA key" + (kid.map { " \"\(LayabAuthError.shown($0))\"" } ?? "")
        }
    }

    /// The key's kind and size as the key browser lists it: "oct, 19-byte secret", "RSA 1024 bits".
    package var shape: String {
        switch material {
        case let .hmacSecret(secret): "oct, \(secret.count)-byte secret"
        case let .rsa(key, _): "RSA \(key.bits) bits"
        }
    }

    /// The rule a verifier refuses this key by for `algorithm` ("RFC 7518 §3.2 requires at least 32 bytes"), or
    /// nil when the key is not weak for it, or cannot serve it at all (another key type, another `alg`).
    package func weakness(for algorithm: Algorithm) -> String? {
        switch material {
        case let .hmacSecret(secret):
            guard algorithm.family == .hmac, let hash = algorithm.hash, secret.count < hash.byteCount else { return nil }
            return "RFC 7518 §3.2 requires at least \(hash.byteCount) bytes for \(algorithm.rawValue)"
        case let .rsa(key, minimum):
            guard key.incompatibility(with: algorithm) == nil, key.bits < minimum else { return nil }
            let section = algorithm.family == .rsaPSS ? "§3.5" : "§3.3"
            return minimum == 2048 ? "RFC 7518 \(section) requires at least 2048 bits"
                                   : "at least \(minimum) bits are required (keyPolicy.minimumRSABits; RFC 7518 \(section) asks for 2048)"
        }
    }

    /// Whether `token`'s signature matches this key under `algorithm`, which the key must be able to serve
    /// (``weakness(for:)`` not nil). A signature of the wrong shape does not match.
    func matches(_ token: DecodedToken, algorithm: Algorithm) -> Bool {
        switch material {
        case let .hmacSecret(secret):
            guard let hash = algorithm.hash, let mac = try? OpenSSLHMACKey(secret: secret, hash: hash) else { return false }
            let matched = try? token.withSignature { (signature) throws(LayabAuthError) in
                token.withSigningInput { input in (try? mac.verify(tag: signature, message: input)) ?? false }
            }
            return matched ?? false
        case let .rsa(key, _):
            return (try? key.verifies(token, algorithm: algorithm, allowRemoteHMAC: false)) ?? false
        }
    }
}
