import Foundation
import LayabAuth

/// Key material from files given on the command line or in the inspector.
package enum KeyFile {
    /// A PEM public key, certificate or private key (public half kept), a JWK, or a JWK Set.
    /// An OpenSSH public key line (`ssh-rsa`, `ecdsa-sha2-nistp256/384/521`, `ssh-ed25519`) is read too.
    package static func load(path: String, policy: KeyPolicy = .default) throws -> KeySet {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError("cannot read key file \(path)") }
        guard data.count <= 1 << 20 else { throw InputError("key file \(path) is larger than 1 MiB") }
        let text = String(decoding: data, as: UTF8.self)
        do {
            if text.contains("-----BEGIN") { return KeySet(keys: [try VerificationKey(pem: text, policy: policy)]) }
            if VerificationKey.looksLikeOpenSSH(text) { return KeySet(keys: [try VerificationKey(openSSH: text, policy: policy)]) }
            let value = try JSONParser.parse(Array(data))
            if value["keys"] != nil {
                let set = try KeySet(jwksJSON: Array(data), origin: .configured, policy: policy)
                // An empty set would only surface later as key_not_found for every token, with the reasons lost.
                guard !set.isEmpty else {
                    let reasons = set.skipped.isEmpty ? "the set is empty" : set.skipped.map(\.description).joined(separator: "; ")
                    throw InputError("key file \(path) holds no usable key: \(reasons)")
                }
                return set
            }
            guard let object = value.objectValue else { throw InputError("key file \(path) is neither PEM nor a JWK or JWK Set") }
            return KeySet(keys: [try VerificationKey(jwk: object, origin: .configured, policy: policy)])
        } catch let error as LayabAuthError {
            throw InputError("key file \(path): \(error.message)")
        } catch let error as JSONParser.Failure {
            throw InputError("key file \(path) is neither PEM nor valid JSON: \(error)")
        }
    }

    /// An HMAC secret: the file's bytes, without one trailing line break.
    package static func secret(path: String, kid: String? = nil) throws -> VerificationKey {
        let bytes = try secretBytes(path: path)
        do { return try VerificationKey(hmacSecret: bytes, kid: kid) } catch {
            throw InputError("secret file \(path): \(error.message)")
        }
    }

    /// The bytes of a secret file, without one trailing line break.
    static func secretBytes(path: String) throws -> [UInt8] {
        guard var bytes = FileManager.default.contents(atPath: path).map(Array.init) else { throw InputError("cannot read secret file \(path)") }
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        return bytes
    }
}
