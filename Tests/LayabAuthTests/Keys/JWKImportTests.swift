import LayabAuth
import Testing

@Suite("JWK import")
struct JWKImportTests {
    static let asymmetric = Algorithm.allCases.filter { $0.family != .hmac }

    @Test("a public JWK exported by LayabAuth imports again and verifies the key's tokens", arguments: asymmetric)
    func publicJWKRoundTrip(_ algorithm: Algorithm) throws {
        let signing = try SigningKey.generate(algorithm, kid: "k1")
        let imported = try VerificationKey(jwk: signing.verificationKey.publicJWK)
        #expect(imported.thumbprint == signing.verificationKey.thumbprint)
        let token = try signing.sign(claims: ["exp": 4_000_000_000])
        let verifier = try Verifier(keys: KeySet(keys: [imported]), configuration: VerifierConfiguration(algorithms: [algorithm]))
        #expect(try verifier.verify(token).key?.kid == "k1")
    }
}
