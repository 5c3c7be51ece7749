import Foundation
import LayabAuth

/// Private keys and HMAC secrets for signing, read from a file or standard input (never from an argument, so
/// that no key appears in a process title or a shell history), with the algorithm following from the key.
package enum SigningKeyFile {
    /// Where a key comes from: a path, or standard input for `-`.
    package static func source(_ argument: String) -> TokenInput.Source {
        argument == "-" ? .standardInput : .file(argument)
    }

    /// A private PEM key (PKCS#8 or traditional) or a private JWK.
    /// - Parameters:
    ///   - argument: a path, or `-` for standard input.
    ///   - algorithm: the algorithm asked for; nil to take the one the key can make.
    ///   - kid: the key id; nil keeps a JWK's own `kid`.
    /// - Throws: ``InputError`` with the reason, never quoting the key.
    package static func privateKey(_ argument: String, algorithm: Algorithm?, kid: String?) throws -> SigningKey {
        let name = argument == "-" ? "the key on standard input" : "key file \(argument)"
        let text = try TokenInput.readText(source(argument), limit: 1 << 20)
        do {
            if text.contains("-----BEGIN") {
                // Before the algorithm is chosen: "no private key" is the reason, whatever the public key could make.
                guard text.contains("PRIVATE KEY-----") else { throw InputError("\(name) holds no private key (a public key or a certificate): signing needs the private key") }
                let publicHalf = try VerificationKey(pem: text, policy: KeyPolicy(minimumRSABits: 1024))
                return try SigningKey(pem: text, algorithm: try choose(algorithm, for: publicHalf), kid: kid)
            }
            guard text.drop(while: \.isWhitespace).hasPrefix("{") else { throw InputError("\(name) is neither a PEM private key nor a private JWK") }
            let value: JSONValue
            do { value = try JSONParser.parse(Array(text.utf8)) } catch { throw InputError("\(name) is not valid JSON: \(error)") }
            guard var jwk = value.objectValue, jwk["keys"] == nil else { throw InputError("\(name) holds a JWK Set: give the one private JWK to sign with") }
            guard jwk["d"] != nil || jwk["kty"]?.stringValue == "oct" else { throw InputError("\(name) holds a public JWK: signing needs the private key (member \"d\")") }
            if let operations = jwk["key_ops"]?.arrayValue, !operations.contains("sign") {
                throw InputError("\(name): the JWK's key_ops do not include \"sign\"")
            }
            // The public half judges which algorithms fit; its key_ops (sign) would read as "not for verifying".
            jwk["key_ops"] = nil
            if let kid { jwk["kid"] = .string(kid) }
            let publicHalf = try VerificationKey(jwk: jwk, policy: KeyPolicy(minimumRSABits: 1024))
            return try SigningKey(jwk: jwk, algorithm: try choose(algorithm, for: publicHalf))
        } catch let error as LayabAuthError {
            throw InputError("\(name): \(error.message)")
        }
    }

    /// An HMAC secret: the bytes of the file (or of standard input) without one trailing line break.
    package static func secret(_ argument: String, algorithm: Algorithm?, kid: String?) throws -> SigningKey {
        let name = argument == "-" ? "the secret on standard input" : "secret file \(argument)"
        let bytes: [UInt8]
        if argument == "-" {
            let data: Data?
            do { data = try FileHandle.standardInput.readToEnd() } catch { throw InputError("cannot read standard input: \(error.localizedDescription)") }
            bytes = KeyFile.withoutTrailingLineBreak(Array(data ?? Data()))
        } else {
            bytes = try KeyFile.secretBytes(path: argument)
        }
        do {
            let verificationKey = try VerificationKey(hmacSecret: bytes, kid: kid)
            return try SigningKey(hmacSecret: bytes, algorithm: try choose(algorithm, for: verificationKey), kid: kid)
        } catch let error as LayabAuthError {
            throw InputError("\(name): \(error.message)")
        }
    }

    /// The algorithm to sign with: `requested` when the key can make it, else the one algorithm the key can make.
    /// An Ed25519 or Ed448 key makes `EdDSA` unless its JWK says `Ed25519`/`Ed448` (RFC 9864 names the same
    /// signature); an RSA key (RS* or PS*) and a long HMAC secret (HS256 to HS512) need `--algorithm`.
    /// - Throws: ``InputError`` with why the key cannot make `requested`, or which algorithms it could make.
    package static func choose(_ requested: Algorithm?, for key: VerificationKey) throws -> Algorithm {
        if let requested {
            if let reason = key.incompatibility(with: requested) { throw InputError("the key cannot sign \(requested.rawValue): \(reason)") }
            return requested
        }
        if let own = key.algorithm.flatMap(Algorithm.named), key.incompatibility(with: own) == nil { return own }
        var possible = Algorithm.allCases.filter { key.incompatibility(with: $0) == nil }
        if possible.contains(.eddsa) { possible.removeAll { $0 == .ed25519 || $0 == .ed448 } }
        switch possible.count {
        case 1:
            return possible[0]
        case 0:
            let reasons = Algorithm.allCases.filter { fits($0, key.keyType) }.compactMap { key.incompatibility(with: $0) }
            var unique: [String] = []
            for reason in reasons where !unique.contains(reason) { unique.append(reason) }
            throw InputError("the key can sign with no algorithm: \(unique.isEmpty ? "unsupported key type \(key.keyType.rawValue)" : unique.joined(separator: "; "))")
        default:
            throw InputError("the key can sign \(possible.map(\.rawValue).joined(separator: ", ")): choose one with --algorithm")
        }
    }

    /// Whether `algorithm`'s family is made with keys of `type` (for the reasons worth telling).
    private static func fits(_ algorithm: Algorithm, _ type: VerificationKey.KeyType) -> Bool {
        switch algorithm.family {
        case .hmac: type == .oct
        case .rsaPKCS1, .rsaPSS: type == .rsa
        case .ecdsa: type == .ec
        case .eddsa: type == .okp
        }
    }
}
