import Foundation
import LayabAuth

/// The private key a client signs its `private_key_jwt` assertions with, read from a file.
package enum ClientKey {
    /// Algorithms tried, in order, for a PEM key given without an algorithm: the first the key can make.
    static let inferred: [Algorithm] = [.rs256, .es256, .es384, .es512, .eddsa]

    /// A PEM private key or a private JWK from `path`.
    /// - Parameter algorithm: the signing algorithm; without it, the JWK's `alg`, else the key's usual one
    ///   (RS256 for RSA, the curve's ES algorithm, EdDSA).
    /// - Throws: ``InputError`` naming the file, never quoting its content.
    package static func load(path: String, algorithm name: String?) throws(InputError) -> SigningKey {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError("cannot read the client key \(path)") }
        var algorithm: Algorithm?
        if let name {
            guard let named = Algorithm.named(name), named.family != .hmac else {
                throw InputError("--client-key-algorithm \"\(name)\" is not an asymmetric JWS algorithm (e.g. RS256, PS256, ES256, EdDSA)")
            }
            algorithm = named
        }
        let text = String(decoding: data, as: UTF8.self)
        if let object = (try? JSONParser.parse(Array(data)))?.objectValue {
            guard object["d"] != nil else { throw InputError("the client key \(path) is a public JWK: private_key_jwt needs the private key") }
            do { return try SigningKey(jwk: object, algorithm: algorithm ?? (object["alg"] == nil ? usual(for: object) : nil)) } catch {
                throw InputError("the client key \(path) cannot sign: \(error.message)")
            }
        }
        guard text.contains("-----BEGIN") else { throw InputError("the client key \(path) is neither a PEM private key nor a private JWK") }
        if let algorithm {
            do { return try SigningKey(pem: text, algorithm: algorithm) } catch { throw InputError("the client key \(path) cannot sign \(algorithm.rawValue): \(error.message)") }
        }
        var firstError: LayabAuthError?
        for candidate in inferred {
            do { return try SigningKey(pem: text, algorithm: candidate) } catch { firstError = firstError ?? error }
        }
        throw InputError("the client key \(path) cannot sign with \(inferred.map(\.rawValue).joined(separator: ", ")) (give --client-key-algorithm): \(firstError?.message ?? "")")
    }

    /// The usual algorithm of a JWK without `alg`.
    static func usual(for jwk: JSONObject) -> Algorithm? {
        switch (jwk["kty"]?.stringValue, jwk["crv"]?.stringValue) {
        case ("RSA", _): .rs256
        case ("EC", "P-256"): .es256
        case ("EC", "P-384"): .es384
        case ("EC", "P-521"): .es512
        case ("OKP", _): .eddsa
        default: nil
        }
    }
}
