import LayabAuth

/// Keys as the debugging tools read them from files: the keys a verifier accepts, and apart from them the
/// keys it refuses as too weak, which the tools still check a token against (``WeakKey``).
package struct DebuggingKeys: Sendable {
    package var keys: KeySet
    package var weakKeys: [WeakKey]

    package init(keys: KeySet = .empty, weakKeys: [WeakKey] = []) {
        self.keys = keys
        self.weakKeys = weakKeys
    }

    package func merging(_ other: DebuggingKeys) -> DebuggingKeys {
        DebuggingKeys(keys: keys.merging(other.keys), weakKeys: weakKeys + other.weakKeys)
    }
}

extension KeyFile {
    /// ``load(path:policy:)`` for the debugging tools: RSA keys under `policy`'s minimum size are kept apart
    /// as weak instead of being skipped (or making a file of one key unusable).
    /// - Throws: ``InputError`` as ``load(path:policy:)`` does, for a file without any key, weak or not.
    package static func loadKeepingWeakKeys(path: String, policy: KeyPolicy = .default) throws -> DebuggingKeys {
        try keepingWeakKeys(policy: policy) { try load(path: path, policy: $0) }
    }

    /// ``secret(path:kid:)`` for the debugging tools: a secret under 32 bytes, which no verifier accepts, is
    /// kept as a weak key; one under 64 bytes is usable and also kept as weak for the hashes longer than it.
    /// - Throws: ``InputError`` when the file cannot be read or is empty.
    package static func secretKeepingWeakness(path: String, kid: String? = nil) throws -> DebuggingKeys {
        try secretKeepingWeakness(try secretBytes(path: path), named: "secret file \(path)", kid: kid)
    }

    /// Key material or a secret given as text (pasted into the inspector), read as the files are: PEM, an
    /// OpenSSH public key, a JWK or a JWK Set as ``loadKeepingWeakKeys(path:policy:)``, anything else as an
    /// HMAC secret (without one trailing line break) as ``secretKeepingWeakness(path:kid:)``.
    /// - Parameter name: what the text is, in errors.
    /// - Throws: ``InputError`` for text without any key, weak or not.
    package static func keysKeepingWeakness(fromText text: String, named name: String, policy: KeyPolicy = .default) throws -> DebuggingKeys {
        if isKeyMaterial(text) {
            return try keepingWeakKeys(policy: policy) { try keys(fromText: text, named: name, policy: $0) }
        }
        return try secretKeepingWeakness(withoutTrailingLineBreak(Array(text.utf8)), named: name)
    }

    /// The keys `read` gives under `policy` without its minimum RSA size, the keys under it kept apart as weak.
    private static func keepingWeakKeys(policy: KeyPolicy, _ read: (KeyPolicy) throws -> KeySet) throws -> DebuggingKeys {
        var anySize = policy
        anySize.minimumRSABits = 0
        let all = try read(anySize)
        let weakKeys = all.keys.compactMap { WeakKey($0, policy: policy) }
        guard !weakKeys.isEmpty else { return DebuggingKeys(keys: all) }
        return DebuggingKeys(keys: KeySet(keys: all.keys.filter { WeakKey($0, policy: policy) == nil }, skipped: all.skipped), weakKeys: weakKeys)
    }

    private static func secretKeepingWeakness(_ bytes: [UInt8], named name: String, kid: String? = nil) throws -> DebuggingKeys {
        guard !bytes.isEmpty else { throw InputError("\(name) is empty") }
        let weakKeys = WeakKey.hmacSecret(bytes, kid: kid).map { [$0] } ?? []
        guard bytes.count >= HashFunction.sha256.byteCount else { return DebuggingKeys(weakKeys: weakKeys) }
        return DebuggingKeys(keys: KeySet(keys: [try secret(bytes, named: name, kid: kid)]), weakKeys: weakKeys)
    }
}
