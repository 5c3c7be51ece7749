import LayabAuth
import Testing

@Suite("A key's alg at import")
struct KeyAlgorithmBindingTests {
    @Test("a P-256 JWK's alg must name a JWS algorithm that fits the key", arguments: ["ES384", "ES521", "ES224", "RS256", "HS256", "RSA-OAEP"])
    func ecKeyAlgorithm(_ algorithm: String) throws {
        var jwk = try SigningKey.generate(.es256).verificationKey.publicJWK
        jwk["alg"] = .string(algorithm)
        let error = expectFailure(.invalidKey) { try VerificationKey(jwk: jwk) }
        #expect(error?.message.contains(algorithm) == true, "\(error?.message ?? "")")
    }

    @Test("a JWK whose alg fits its key is accepted", arguments: [Algorithm.es256, .rs256, .ps512, .eddsa, .ed25519, .ed448, .es256k])
    func fittingAlgorithm(_ algorithm: Algorithm) throws {
        let generated: Algorithm = algorithm == .eddsa ? .ed25519 : algorithm
        var jwk = try SigningKey.generate(generated).verificationKey.publicJWK
        jwk["alg"] = .string(algorithm.rawValue)
        #expect(try VerificationKey(jwk: jwk).algorithm == algorithm.rawValue)
    }

    @Test("an Ed448 key cannot be declared for Ed25519, nor an RSA key for ES256")
    func crossedAlgorithms() throws {
        var ed448 = try SigningKey.generate(.ed448).verificationKey.publicJWK
        ed448["alg"] = "Ed25519"
        expectFailure(.invalidKey) { try VerificationKey(jwk: ed448) }
        expectFailure(.invalidKey) { try VerificationKey(jwk: try RSAKeyRulesTests.rsaJWK([("alg", "ES256")])) }
    }

    @Test("an oct key for encryption algorithms is refused", arguments: ["A256GCM", "A128KW", "dir"])
    func octKeyForEncryption(_ algorithm: String) {
        let jwk: JSONObject = ["kty": "oct", "alg": .string(algorithm), "k": .string(Base64URL.encode([UInt8](repeating: 7, count: 64)))]
        let error = expectFailure(.invalidKey) { try VerificationKey(jwk: jwk) }
        #expect(error?.message.contains(algorithm) == true, "\(error?.message ?? "")")
    }

    @Test("a PEM key restricted to an algorithm of another key type is refused")
    func pemAlgorithm() throws {
        let pem = try #require(try SigningKey.generate(.rs256).verificationKey.pem)
        expectFailure(.invalidKey) { try VerificationKey(pem: pem, algorithm: .es256) }
        #expect(try VerificationKey(pem: pem, algorithm: .ps256).algorithm == "PS256")
    }
}
