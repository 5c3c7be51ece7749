/// A public key (or a configured HMAC secret) ready to verify signatures: imported into OpenSSL once,
/// with the JWK metadata that decides which tokens it may verify.
public struct VerificationKey: Sendable, CustomStringConvertible {
    public enum KeyType: String, Sendable, Hashable {
        case rsa = "RSA", ec = "EC", okp = "OKP", oct = "oct"
    }

    /// Where a key came from; HMAC is only ever used with secrets the application configured.
    public enum Origin: String, Sendable, Hashable {
        /// Given by the application (a secret, a PEM file, a JWK in its configuration).
        case configured
        /// Fetched from a JWKS URI or found by discovery.
        case remote
    }

    /// What an X.509 certificate in `x5c` says about the key.
    public struct CertificateInfo: Sendable, Hashable {
        public let subject: String
        public let notBefore: Double?
        public let notAfter: Double?
    }

    public var kid: String? { storage.kid }
    public var keyType: KeyType { storage.keyType }
    /// The JWK's own `alg`, when it names one.
    public var algorithm: String? { storage.algorithm }
    /// The JWK's `use`, when present.
    public var use: String? { storage.use }
    /// The JWK's `key_ops`, when present.
    public var keyOperations: [String]? { storage.keyOperations }
    public var curve: Curve? { storage.curve }
    /// RSA modulus size, curve size, or HMAC secret size, in bits.
    public var bits: Int { storage.bits }
    /// RFC 7638 JWK thumbprint (SHA-256, base64url).
    public var thumbprint: String { storage.thumbprint }
    /// The public JWK: the key members and metadata, never private members or HMAC secrets.
    public var publicJWK: JSONObject { storage.publicJWK }
    public var certificate: CertificateInfo? { storage.certificate }
    public var origin: Origin { storage.origin }
    /// What the publisher encoded against the letter of the RFCs and LayabAuth tolerated, one sentence each
    /// ("x is 31 bytes, left-padded to 32; RFC 7518 §6.2.1.2 requires the full length"); empty for a key
    /// published as the RFCs say. The debugging tools show them beside the key.
    public var notes: [String] { storage.notes }

    var backing: Backing { storage.backing }

    /// Every member in one immutable object: a key is copied with every verification (into the verified
    /// token, through the key set's lookups), and one reference costs one retain where a dozen members cost a
    /// dozen.
    private let storage: Storage

    private final class Storage: Sendable {
        let kid: String?
        let keyType: KeyType
        let algorithm: String?
        let use: String?
        let keyOperations: [String]?
        let curve: Curve?
        let bits: Int
        let thumbprint: String
        let publicJWK: JSONObject
        let certificate: CertificateInfo?
        let origin: Origin
        let notes: [String]
        let backing: Backing

        init(kid: String?, keyType: KeyType, algorithm: String?, use: String?, keyOperations: [String]?, curve: Curve?, bits: Int,
             thumbprint: String, publicJWK: JSONObject, certificate: CertificateInfo?, origin: Origin, notes: [String], backing: Backing)
        {
            self.kid = kid
            self.keyType = keyType
            self.algorithm = algorithm
            self.use = use
            self.keyOperations = keyOperations
            self.curve = curve
            self.bits = bits
            self.thumbprint = thumbprint
            self.publicJWK = publicJWK
            self.certificate = certificate
            self.origin = origin
            self.notes = notes
            self.backing = backing
        }
    }

    enum Backing: Sendable {
        case asymmetric(OpenSSLKey)
        /// One keyed context per hash the secret is long enough for (RFC 7518 §3.2).
        case hmac(secretLength: Int, sha256: OpenSSLHMACKey?, sha384: OpenSSLHMACKey?, sha512: OpenSSLHMACKey?)
    }

    init(kid: String?, keyType: KeyType, algorithm: String?, use: String?, keyOperations: [String]?, curve: Curve?, bits: Int,
         thumbprint: String, publicJWK: JSONObject, certificate: CertificateInfo?, origin: Origin, notes: [String] = [], backing: Backing)
    {
        storage = Storage(kid: kid, keyType: keyType, algorithm: algorithm, use: use, keyOperations: keyOperations, curve: curve, bits: bits,
                          thumbprint: thumbprint, publicJWK: publicJWK, certificate: certificate, origin: origin, notes: notes, backing: backing)
    }

    public var description: String {
        var parts = [keyType.rawValue]
        if let curve { parts.append(curve.rawValue) } else { parts.append("\(bits) bits") }
        if let kid { parts.insert("kid \"\(kid)\"", at: 0) }
        if let algorithm { parts.append("alg \(algorithm)") }
        return parts.joined(separator: ", ")
    }

    /// The public key as PEM (SubjectPublicKeyInfo); nil for HMAC secrets.
    public var pem: String? {
        if case let .asymmetric(key) = backing { key.publicKeyPEM } else { nil }
    }

    /// Why this key may not verify a token signed with `algorithm`, or nil when it may.
    ///
    /// The algorithm is bound to the key (RFC 8725 §3.1): the key type and curve must fit, the key's own
    /// `alg` must equal it, `use` must be `sig`, `key_ops` must include `verify`, and HMAC needs a secret
    /// the application configured (or explicitly allowed from a remote set).
    public func incompatibility(with algorithm: Algorithm, allowRemoteHMAC: Bool = false) -> String? {
        if let own = self.algorithm, own != algorithm.rawValue {
            // RFC 9864: a key marked EdDSA may verify Ed25519/Ed448 tokens of its curve and vice versa.
            let edwardsAlias = algorithm.family == .eddsa && (own == "EdDSA" || own == curve?.rawValue)
            if !edwardsAlias { return "the key is for \(own), the token uses \(algorithm.rawValue)" }
        }
        if let use, use != "sig" { return "the key's use is \"\(use)\", not \"sig\"" }
        if let keyOperations, !keyOperations.contains("verify") {
            return "the key's key_ops [\(keyOperations.joined(separator: ", "))] do not include \"verify\""
        }
        if let mismatch = keyTypeMismatch(with: algorithm) { return mismatch }
        if algorithm.family == .hmac {
            if origin == .remote && !allowRemoteHMAC { return "HMAC secrets from a remote key set are not trusted (allowRemoteHMACKeys is off)" }
            if hmacKey(for: algorithm) == nil, let hash = algorithm.hash {
                return "the secret has \(bits / 8) bytes, \(algorithm.rawValue) needs at least \(hash.byteCount) (RFC 7518 §3.2)"
            }
        }
        return nil
    }

    /// Why this key's type or curve cannot serve `algorithm`, or nil. Unlike ``incompatibility(with:allowRemoteHMAC:)``
    /// it looks at the key alone, not at its `alg`, `use`, `key_ops` or origin.
    func keyTypeMismatch(with algorithm: Algorithm) -> String? {
        switch algorithm.family {
        case .hmac:
            guard keyType == .oct else { return "\(algorithm.rawValue) needs an HMAC secret, the key is \(keyType.rawValue) (public keys are never used as HMAC secrets)" }
        case .rsaPKCS1, .rsaPSS:
            guard keyType == .rsa else { return "\(algorithm.rawValue) needs an RSA key, the key is \(keyType.rawValue)" }
            if algorithm.family == .rsaPKCS1, case let .asymmetric(key) = backing, key.kind == .rsaPSS {
                return "\(algorithm.rawValue) is RSA PKCS#1 v1.5, the key is restricted to RSA-PSS"
            }
        case .ecdsa:
            guard keyType == .ec, let required = algorithm.requiredCurve else { return "\(algorithm.rawValue) needs an EC key, the key is \(keyType.rawValue)" }
            if curve != required { return "\(algorithm.rawValue) needs curve \(required.rawValue), the key is on \(curve?.rawValue ?? "an unknown curve")" }
        case .eddsa:
            guard keyType == .okp, let curve, curve.isEdwards else { return "\(algorithm.rawValue) needs an OKP Ed25519 or Ed448 key, the key is \(keyType.rawValue)" }
            if let required = algorithm.requiredCurve, required != curve { return "\(algorithm.rawValue) needs curve \(required.rawValue), the key is on \(curve.rawValue)" }
        }
        return nil
    }

    func hmacKey(for algorithm: Algorithm) -> OpenSSLHMACKey? {
        guard case let .hmac(_, sha256, sha384, sha512) = backing else { return nil }
        switch algorithm {
        case .hs256: return sha256
        case .hs384: return sha384
        case .hs512: return sha512
        default: return nil
        }
    }
}
