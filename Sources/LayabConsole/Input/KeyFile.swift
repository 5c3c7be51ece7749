import Foundation
import LayabAuth

/// Key material from files given on the command line or in the inspector.
package enum KeyFile {
    /// A PEM public key, certificate or private key (public half kept), a JWK, or a JWK Set.
    /// An OpenSSH public key line (`ssh-rsa`, `ecdsa-sha2-nistp256/384/521`, `ssh-ed25519`) is read too.
    package static func load(path: String, policy: KeyPolicy = .default) throws -> KeySet {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError("cannot read key file \(path)") }
        guard data.count <= 1 << 20 else { throw InputError("key file \(path) is larger than 1 MiB") }
        return try keys(fromText: String(decoding: data, as: UTF8.self), named: "key file \(path)", policy: policy)
    }

    /// Whether `text` is key material ``keys(fromText:named:policy:)`` reads (PEM, OpenSSH, JSON), rather
    /// than an HMAC secret.
    package static func isKeyMaterial(_ text: String) -> Bool {
        let trimmed = text.drop { $0.isWhitespace }
        return trimmed.contains("-----BEGIN") || VerificationKey.looksLikeOpenSSH(text) || trimmed.hasPrefix("{")
    }

    /// The keys of `text`, read as ``load(path:policy:)`` reads a file: a PEM key or certificate, an OpenSSH
    /// public key line, a JWK or a JWK Set.
    /// - Parameter name: what the text is, in errors ("key file keys.json", "the pasted key").
    /// - Throws: ``InputError`` naming `name` when the text holds no usable key.
    package static func keys(fromText text: String, named name: String, policy: KeyPolicy = .default) throws -> KeySet {
        do {
            if text.contains("-----BEGIN") { return KeySet(keys: [try VerificationKey(pem: text, policy: policy)]) }
            if VerificationKey.looksLikeOpenSSH(text) { return KeySet(keys: [try VerificationKey(openSSH: text, policy: policy)]) }
            let bytes = Array(text.utf8)
            let value = try JSONParser.parse(bytes)
            if value["keys"] != nil {
                let set = try KeySet(jwksJSON: bytes, origin: .configured, policy: policy)
                // An empty set would only surface later as key_not_found for every token, with the reasons lost.
                guard !set.isEmpty else {
                    let reasons = set.skipped.isEmpty ? "the set is empty" : set.skipped.map(\.description).joined(separator: "; ")
                    throw InputError("\(name) holds no usable key: \(reasons)")
                }
                return set
            }
            guard let object = value.objectValue else { throw InputError("\(name) is neither PEM nor a JWK or JWK Set") }
            return KeySet(keys: [try VerificationKey(jwk: object, origin: .configured, policy: policy)])
        } catch let error as LayabAuthError {
            throw InputError("\(name): \(error.message)")
        } catch let error as JSONParser.Failure {
            throw InputError("\(name) is neither PEM nor valid JSON: \(error)")
        }
    }

    /// An HMAC secret: the file's bytes, without one trailing line break.
    package static func secret(path: String, kid: String? = nil) throws -> VerificationKey {
        try secret(try secretBytes(path: path), named: "secret file \(path)", kid: kid)
    }

    /// An HMAC secret of `bytes`.
    /// - Parameter name: what the secret is, in errors ("secret file s.txt", "the pasted secret").
    static func secret(_ bytes: [UInt8], named name: String, kid: String? = nil) throws -> VerificationKey {
        do { return try VerificationKey(hmacSecret: bytes, kid: kid) } catch {
            throw InputError("\(name): \(error.message)")
        }
    }

    /// The bytes of a secret file, without one trailing line break.
    static func secretBytes(path: String) throws -> [UInt8] {
        guard let bytes = FileManager.default.contents(atPath: path).map(Array.init) else { throw InputError("cannot read secret file \(path)") }
        return withoutTrailingLineBreak(bytes)
    }

    /// `bytes` without one trailing line break (LF or CRLF), which editors and `echo` add to a secret.
    static func withoutTrailingLineBreak(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        return bytes
    }
}
