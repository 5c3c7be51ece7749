extension VerificationKey {
    /// Imports a PEM public key (SubjectPublicKeyInfo), an X.509 certificate, or the public half of a
    /// PEM private key.
    /// - Parameters:
    ///   - kid: the key id tokens will name, if any.
    ///   - algorithm: restricts the key to one algorithm, as a JWK's `alg` would.
    public init(pem: String, kid: String? = nil, algorithm: Algorithm? = nil, policy: KeyPolicy = .default) throws(LayabAuthError) {
        let content: OpenSSLKey.PEMContent
        do { content = try OpenSSLKey.fromPEM(pem) } catch { throw LayabAuthError(.invalidKey, "unreadable PEM: \(error)") }
        switch content {
        case let .privateKey(privateKey):
            // Only the public half is kept: a verifier has no use for private material.
            guard let der = privateKey.subjectPublicKeyInfoDER else { throw LayabAuthError(.invalidKey, "cannot derive the public key from the PEM private key") }
            try self.init(subjectPublicKeyInfo: der, kid: kid, algorithm: algorithm, policy: policy)
        case let .publicKey(key):
            try self.init(openSSLKey: key, kid: kid, algorithm: algorithm?.rawValue, certificate: nil, origin: .configured, policy: policy)
        case let .certificate(certificate):
            let key: OpenSSLKey
            do { key = try certificate.publicKey() } catch { throw LayabAuthError(.invalidKey, "unusable certificate: \(error)") }
            let validity = certificate.validity
            let info = CertificateInfo(subject: certificate.subject, notBefore: validity?.notBefore, notAfter: validity?.notAfter)
            try self.init(openSSLKey: key, kid: kid, algorithm: algorithm?.rawValue, certificate: info, origin: .configured, policy: policy)
        }
    }

    /// Imports a DER SubjectPublicKeyInfo.
    public init(subjectPublicKeyInfo der: [UInt8], kid: String? = nil, algorithm: Algorithm? = nil, policy: KeyPolicy = .default) throws(LayabAuthError) {
        let key: OpenSSLKey
        do { key = try OpenSSLKey.fromSubjectPublicKeyInfo(der: der) } catch { throw LayabAuthError(.invalidKey, "unreadable public key: \(error)") }
        try self.init(openSSLKey: key, kid: kid, algorithm: algorithm?.rawValue, certificate: nil, origin: .configured, policy: policy)
    }

    /// Describes an OpenSSL key as a JWK; the public members are exported from OpenSSL itself.
    init(openSSLKey key: OpenSSLKey, kid: String?, algorithm: String?, certificate: CertificateInfo?, origin: Origin, policy: KeyPolicy) throws(LayabAuthError) {
        var metadata: [(String, JSONValue)] = []
        if let kid { metadata.append(("kid", .string(kid))) }
        if let algorithm { metadata.append(("alg", .string(algorithm))) }
        let reader = JWKReader(jwk: JSONObject(metadata))
        switch key.kind {
        case .rsa, .rsaPSS:
            guard let n = key.rsaModulus, let e = key.rsaExponent else { throw reader.invalid("cannot read the RSA key's modulus and exponent") }
            try Self.checkRSA(key, modulus: n, exponent: e, policy: policy, reader: reader)
            let members: [(String, JSONValue)] = [("kty", "RSA"), ("n", .string(Base64URL.encode(n))), ("e", .string(Base64URL.encode(e)))]
            self.init(kid: kid, keyType: .rsa, algorithm: algorithm, use: nil, keyOperations: nil, curve: nil, bits: key.bits,
                      thumbprint: Self.thumbprint(members), publicJWK: JSONObject(members + metadata), certificate: certificate,
                      origin: origin, backing: .asymmetric(key))
        case .ec:
            guard let curve = key.curve, let (x, y) = key.ecCoordinates(curve: curve) else {
                throw reader.invalid("unsupported EC key (curves: P-256, P-384, P-521, secp256k1)")
            }
            let members: [(String, JSONValue)] = [("crv", .string(curve.rawValue)), ("kty", "EC"), ("x", .string(Base64URL.encode(x))), ("y", .string(Base64URL.encode(y)))]
            self.init(kid: kid, keyType: .ec, algorithm: algorithm, use: nil, keyOperations: nil, curve: curve, bits: key.bits,
                      thumbprint: Self.thumbprint(members), publicJWK: JSONObject(members + metadata), certificate: certificate,
                      origin: origin, backing: .asymmetric(key))
        case .ed25519, .ed448:
            guard let curve = key.curve, let x = key.rawPublicKey else { throw reader.invalid("cannot read the Edwards public key") }
            let members: [(String, JSONValue)] = [("crv", .string(curve.rawValue)), ("kty", "OKP"), ("x", .string(Base64URL.encode(x)))]
            self.init(kid: kid, keyType: .okp, algorithm: algorithm, use: nil, keyOperations: nil, curve: curve, bits: key.bits,
                      thumbprint: Self.thumbprint(members), publicJWK: JSONObject(members + metadata), certificate: certificate,
                      origin: origin, backing: .asymmetric(key))
        case let .other(id):
            throw reader.invalid("unsupported key type (OpenSSL id \(id)); expected RSA, EC, Ed25519 or Ed448")
        }
        try checkDeclaredAlgorithm()
    }
}
