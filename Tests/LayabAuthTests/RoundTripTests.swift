import LayabAuth
import Testing

@Suite("Sign and verify round trips")
struct RoundTripTests {
    static let now = 1_800_000_000.0

    static func verifier(_ key: SigningKey, algorithms: Set<Algorithm>? = nil) -> Verifier {
        Verifier(keys: KeySet(keys: [key.verificationKey]),
                 validated: VerifierConfiguration(algorithms: algorithms ?? [key.algorithm], clock: { now }))
    }

    @Test("every algorithm signs and verifies", arguments: Algorithm.allCases)
    func roundTrip(_ algorithm: Algorithm) throws {
        let key = try SigningKey.generate(algorithm, kid: "k1")
        let token = try key.sign(claims: ["sub": "alice", "exp": .integer(Int64(Self.now) + 60), "scope": "read write"])
        let verified = try Self.verifier(key).verify(token, requiring: .all("read"))
        #expect(verified.claims.subject == "alice")
        #expect(verified.key?.kid == "k1")
        #expect(verified.scopes == ["read", "write"])
    }

    @Test("a flipped signature bit is refused", arguments: Algorithm.allCases)
    func tampered(_ algorithm: Algorithm) throws {
        let key = try SigningKey.generate(algorithm, kid: "k1")
        let token = try key.sign(claims: ["exp": .integer(Int64(Self.now) + 60)])
        let parts = token.split(separator: ".").map(String.init)
        var signature = try Base64URL.decode(parts[2])
        signature[signature.count / 2] ^= 0x01
        let forged = parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)
        expectFailure(.badSignature) { try Self.verifier(key).verify(forged) }
    }
}
