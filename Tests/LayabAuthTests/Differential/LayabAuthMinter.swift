import LayabAuth

/// LayabAuth's side of the minting: a fresh key per profile, and every ``SigningRequest`` signed with it.
struct LayabAuthMinter {
    let profile: DifferentialProfile
    let signingKey: SigningKey
    /// The HMAC secret, which a ``SigningKey`` does not give back.
    let secret: [UInt8]?
    /// The key's own JWK members (no `alg`, no `use`): an `oct` JWK for HMAC, the public JWK otherwise.
    let keyMembers: JSONObject

    /// - Parameter rsaKeys: private keys (PEM) by size, shared by the RSA profiles: generating an RSA key
    ///   costs more than everything else the minter does.
    init(_ profile: DifferentialProfile, rsaKeys: inout [Int: String]) throws {
        self.profile = profile
        switch profile.key {
        case let .oct(bytes):
            var generator = SystemRandomNumberGenerator()
            let secret = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
            self.secret = secret
            signingKey = try SigningKey(hmacSecret: secret, algorithm: profile.algorithm, kid: profile.kid)
            keyMembers = JSONObject([("kty", "oct"), ("kid", .string(profile.kid)), ("k", .string(Base64URL.encode(secret)))])
        case let .rsa(bits, exponent):
            guard exponent == 65537 else { throw OracleError("LayabAuth generates RSA keys with e = 65537 only") }
            secret = nil
            if let pem = rsaKeys[bits] {
                signingKey = try SigningKey(pem: pem, algorithm: profile.algorithm, kid: profile.kid)
            } else {
                signingKey = try SigningKey.generate(profile.algorithm, kid: profile.kid, rsaBits: bits)
                rsaKeys[bits] = signingKey.privateKeyPEM
            }
            keyMembers = Self.keyMembers(of: signingKey.verificationKey.publicJWK)
        case .ec:
            secret = nil
            signingKey = try SigningKey.generate(profile.algorithm, kid: profile.kid)
            keyMembers = Self.keyMembers(of: signingKey.verificationKey.publicJWK)
        case let .okp(curve):
            // generate(.eddsa) makes an Ed25519 key: an Ed448 key for EdDSA is made for Ed448 and taken over.
            secret = nil
            let generated = try SigningKey.generate(curve == .ed448 ? .ed448 : .ed25519, kid: profile.kid)
            if generated.algorithm == profile.algorithm {
                signingKey = generated
            } else {
                guard let pem = generated.privateKeyPEM else { throw OracleError("\(profile.name): no private key PEM") }
                signingKey = try SigningKey(pem: pem, algorithm: profile.algorithm, kid: profile.kid)
            }
            keyMembers = Self.keyMembers(of: signingKey.verificationKey.publicJWK)
        }
    }

    /// A JWK without the members that say how it may be used.
    static func keyMembers(of jwk: JSONObject) -> JSONObject {
        JSONObject(jwk.members.filter { !["alg", "use", "key_ops"].contains($0.name) }.map { ($0.name, $0.value) })
    }

    func sign(_ request: SigningRequest) throws -> String {
        switch request {
        case let .compact(header, payload):
            return try signingKey.sign(header: header, payload: Array(payload.utf8))
        case let .raw(algorithm, signingInput):
            return signingInput + "." + Base64URL.encode(try key(for: algorithm).signature(for: Array(signingInput.utf8)))
        case let .confusion(signingInput):
            guard let pem = signingKey.verificationKey.pem else { throw OracleError("\(profile.name): the key has no PEM") }
            let forger = try SigningKey(hmacSecret: Array(pem.utf8), algorithm: .hs256)
            return signingInput + "." + Base64URL.encode(try forger.signature(for: Array(signingInput.utf8)))
        }
    }

    /// The same key for `algorithm` (RS256 and PS256 share an RSA key, EdDSA and Ed25519 an Edwards key).
    private func key(for algorithm: Algorithm) throws -> SigningKey {
        if algorithm == signingKey.algorithm { return signingKey }
        if let secret { return try SigningKey(hmacSecret: secret, algorithm: algorithm, kid: profile.kid) }
        guard let pem = signingKey.privateKeyPEM else { throw OracleError("\(profile.name): no private key PEM") }
        return try SigningKey(pem: pem, algorithm: algorithm, kid: profile.kid)
    }
}
