/// A private key (or HMAC secret) that mints tokens: for the testing helpers, the inspector's demo issuer,
/// and applications that issue their own tokens.
public struct SigningKey: Sendable {
    public let algorithm: Algorithm
    public let kid: String?
    /// The matching public key, with the same `kid` and `alg`.
    public let verificationKey: VerificationKey
    let backing: Backing

    enum Backing: Sendable {
        case asymmetric(OpenSSLKey)
        case hmac(OpenSSLHMACKey)
    }

    /// Generates a fresh key for `algorithm`: RSA 2048 (or `rsaBits`), the algorithm's curve, or a 64-byte
    /// HMAC secret.
    public static func generate(_ algorithm: Algorithm, kid: String? = nil, rsaBits: Int = 2048) throws(LayabAuthError) -> SigningKey {
        do {
            switch algorithm.family {
            case .rsaPKCS1, .rsaPSS:
                return try SigningKey(key: OpenSSLKey.generateRSA(bits: rsaBits), algorithm: algorithm, kid: kid)
            case .ecdsa:
                guard let curve = algorithm.requiredCurve else { throw LayabAuthError(.signingFailed, "no curve for \(algorithm)") }
                return try SigningKey(key: OpenSSLKey.generateEC(curve: curve), algorithm: algorithm, kid: kid)
            case .eddsa:
                return try SigningKey(key: OpenSSLKey.generateEdwards(curve: algorithm.requiredCurve ?? .ed25519), algorithm: algorithm, kid: kid)
            case .hmac:
                var secret = [UInt8](repeating: 0, count: 64)
                try OpenSSLRandom.fill(&secret)
                return try SigningKey(hmacSecret: secret, algorithm: algorithm, kid: kid)
            }
        } catch let error as LayabAuthError {
            throw error
        } catch {
            throw LayabAuthError(.signingFailed, "key generation for \(algorithm) failed: \(error)")
        }
    }

    /// A PEM private key (PKCS#8 or traditional) for `algorithm`.
    public init(pem: String, algorithm: Algorithm, kid: String? = nil) throws(LayabAuthError) {
        let content: OpenSSLKey.PEMContent
        do { content = try OpenSSLKey.fromPEM(pem) } catch { throw LayabAuthError(.invalidKey, "unreadable PEM private key: \(error)") }
        guard case let .privateKey(key) = content else { throw LayabAuthError(.invalidKey, "the PEM holds no private key") }
        try self.init(key: key, algorithm: algorithm, kid: kid)
    }

    /// A private JWK (RSA with `d` and optionally the CRT members, EC with `d`, OKP with `d`, or oct).
    public init(jwk: JSONObject, algorithm: Algorithm? = nil) throws(LayabAuthError) {
        let reader = JWKReader(jwk: jwk)
        let kid = try reader.optionalString("kid")
        let named = try reader.optionalString("alg").flatMap(Algorithm.named)
        guard let algorithm = algorithm ?? named else { throw reader.invalid("no algorithm given and the JWK has no usable \"alg\"") }
        let key: OpenSSLKey
        do {
            switch jwk["kty"]?.stringValue {
            case "RSA":
                let optional = { (name: String) throws(LayabAuthError) -> [UInt8]? in jwk[name] == nil ? nil : try reader.bytes(name) }
                key = try OpenSSLKey.rsaPrivate(.init(n: reader.bytes("n"), e: reader.bytes("e"), d: reader.bytes("d"),
                                                      p: optional("p"), q: optional("q"), dp: optional("dp"), dq: optional("dq"), qi: optional("qi")))
            case "EC":
                let curve = try reader.curve(allowed: [.p256, .p384, .p521, .secp256k1])
                key = try OpenSSLKey.ecPublic(curve: curve, x: reader.bytes("x"), y: reader.bytes("y"), privateScalar: reader.bytes("d"))
            case "OKP":
                let curve = try reader.curve(allowed: [.ed25519, .ed448])
                key = try OpenSSLKey.edwardsPrivate(curve: curve, raw: reader.bytes("d"))
            case "oct":
                try self.init(hmacSecret: reader.bytes("k"), algorithm: algorithm, kid: kid)
                return
            default:
                throw reader.invalid("unsupported or missing kty for a private key")
            }
        } catch let error as LayabAuthError {
            throw error
        } catch {
            throw reader.invalid("OpenSSL refused the private key: \(error)")
        }
        try self.init(key: key, algorithm: algorithm, kid: kid)
    }

    /// An HMAC secret (at least as long as the hash, RFC 7518 §3.2).
    public init(hmacSecret secret: [UInt8], algorithm: Algorithm, kid: String? = nil) throws(LayabAuthError) {
        guard algorithm.family == .hmac, let hash = algorithm.hash else { throw LayabAuthError(.invalidKey, "\(algorithm) is not an HMAC algorithm") }
        self.verificationKey = try VerificationKey(hmacSecret: secret, kid: kid, algorithm: algorithm)
        do { self.backing = .hmac(try OpenSSLHMACKey(secret: secret, hash: hash)) } catch {
            throw LayabAuthError(.invalidKey, "HMAC key setup failed: \(error)")
        }
        self.algorithm = algorithm
        self.kid = kid
    }

    init(key: OpenSSLKey, algorithm: Algorithm, kid: String?) throws(LayabAuthError) {
        guard let der = key.subjectPublicKeyInfoDER else { throw LayabAuthError(.invalidKey, "cannot export the public key") }
        let publicKey: OpenSSLKey
        do { publicKey = try OpenSSLKey.fromSubjectPublicKeyInfo(der: der) } catch { throw LayabAuthError(.invalidKey, "cannot re-import the public key: \(error)") }
        let verificationKey = try VerificationKey(openSSLKey: publicKey, kid: kid, algorithm: algorithm.rawValue, certificate: nil,
                                                  origin: .configured, policy: KeyPolicy(minimumRSABits: 1024))
        if let reason = verificationKey.incompatibility(with: algorithm) { throw LayabAuthError(.invalidKey, reason) }
        self.verificationKey = verificationKey
        self.backing = .asymmetric(key)
        self.algorithm = algorithm
        self.kid = kid
    }

    /// The private key as PKCS#8 PEM; nil for HMAC secrets.
    public var privateKeyPEM: String? {
        if case let .asymmetric(key) = backing { key.privateKeyPEM } else { nil }
    }

    /// Signs a JWS signing input (`header.payload`, ASCII) and returns the raw JWS signature.
    public func signature(for signingInput: [UInt8]) throws(LayabAuthError) -> [UInt8] {
        do {
            switch backing {
            case let .hmac(mac):
                return try signingInput.withUnsafeBytes { try mac.authenticationCode($0) }
            case let .asymmetric(key):
                let digest = algorithm.hash.flatMap(OpenSSLDigest.of)
                let padding: RSAPadding? = switch algorithm.family {
                case .rsaPSS: .pss
                case .rsaPKCS1: .pkcs1
                default: nil
                }
                let signature = try signingInput.withUnsafeBytes { try key.sign(message: $0, digest: digest, padding: padding) }
                if algorithm.family == .ecdsa, let curve = algorithm.requiredCurve {
                    return try ECDSASignatureEncoding.raw(fromDER: signature, width: curve.coordinateByteCount)
                }
                return signature
            }
        } catch {
            throw LayabAuthError(.signingFailed, "signing with \(algorithm) failed: \(error)")
        }
    }

    /// Mints a compact JWS over `claims`. The header gets `alg`, `typ: "JWT"` and the `kid` (when set),
    /// then `extraHeader` members, which may override them (the testing helpers forge tokens this way).
    public func sign(claims: JSONObject, extraHeader: JSONObject = JSONObject()) throws(LayabAuthError) -> String {
        var header = JSONObject([("alg", .string(algorithm.rawValue)), ("typ", "JWT")])
        if let kid { header["kid"] = .string(kid) }
        for member in extraHeader { header[member.name] = member.value }
        return try sign(header: header, payload: Array(JSONValue.object(claims).jsonText.utf8))
    }

    /// Mints a compact JWS from an exact header and payload.
    public func sign(header: JSONObject, payload: [UInt8]) throws(LayabAuthError) -> String {
        let signingInput = Base64URL.encode(Array(JSONValue.object(header).jsonText.utf8)) + "." + Base64URL.encode(payload)
        return signingInput + "." + Base64URL.encode(try signature(for: Array(signingInput.utf8)))
    }
}
