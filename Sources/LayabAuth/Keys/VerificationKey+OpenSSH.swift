extension VerificationKey {
    /// Imports an OpenSSH public key line (`ssh-rsa`, `ecdsa-sha2-nistp256/384/521`, `ssh-ed25519`), as
    /// `ssh-keygen` writes it to a `.pub` file; the comment is not used.
    ///
    /// The blob is read by ``OpenSSHPublicKey``; the key is then imported as the equivalent JWK, so it meets
    /// the same rules (RSA size and exponent, the point on its curve).
    /// - Parameters:
    ///   - kid: the key id tokens will name, if any.
    ///   - algorithm: restricts the key to one algorithm, as a JWK's `alg` would.
    /// - Throws: `invalid_key` saying what is wrong with the line, the blob or the key.
    package init(openSSH text: String, kid: String? = nil, algorithm: Algorithm? = nil, policy: KeyPolicy = .default) throws(LayabAuthError) {
        var jwk = try OpenSSHPublicKey(text).jwk
        if let kid { jwk["kid"] = .string(kid) }
        if let algorithm { jwk["alg"] = .string(algorithm.rawValue) }
        try self.init(jwk: jwk, origin: .configured, policy: policy)
    }

    /// Whether `text` reads as an OpenSSH public key line (its first word names an SSH key type).
    package static func looksLikeOpenSSH(_ text: String) -> Bool {
        OpenSSHPublicKey.looksLikeOpenSSH(text)
    }
}
