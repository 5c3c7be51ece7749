import LayabAuth
import Testing

/// Security-relevant names compare byte for byte: Swift's `==` would take canonically equivalent spellings
/// (KELVIN SIGN for K, OHM SIGN for Ω, NFD for NFC) for the same name.
@Suite("Exact comparisons: alg and kid match byte for byte, never by Unicode equivalence")
struct ExactComparisonTests {
    /// Pairs that Swift's `==` equates (or, for full-width letters, that only look alike) but whose bytes differ.
    static let lookAlikes: [(name: String, key: String, token: String)] = [
        ("KELVIN SIGN for K", "K1", "\u{212A}1"),
        ("OHM SIGN for Ω", "\u{03A9}-key", "\u{2126}-key"),
        ("NFD for NFC", "caf\u{E9}", "cafe\u{301}"),
        ("NFC for NFD", "cafe\u{301}", "caf\u{E9}"),
        ("full-width K", "K1", "\u{FF2B}1"),
    ]

    @Test("Swift's == equates the canonical pairs: the reason these tests exist")
    func swiftEquates() {
        #expect("\u{212A}1" == "K1")
        #expect("\u{2126}-key" == "\u{03A9}-key")
        #expect("cafe\u{301}" == "caf\u{E9}")
        #expect(Algorithm(rawValue: "ES256\u{212A}") == .es256k)
    }

    @Test("an alg spelled with a KELVIN SIGN is not ES256K: unsupported_algorithm, though the signature is ES256K's")
    func kelvinAlgorithm() throws {
        let key = try SigningKey.generate(.es256k, kid: "k")
        let token = try key.sign(claims: ["exp": .integer(4_000_000_000)], extraHeader: ["alg": "ES256\u{212A}"])
        let verifier = try Verifier(keys: KeySet(keys: [key.verificationKey]))
        // The same token with the registered spelling verifies: only the spelling is refused.
        _ = try verifier.verify(try key.sign(claims: ["exp": .integer(4_000_000_000)]))
        let error = expectFailure(.unsupportedAlgorithm) { try verifier.verify(token) }
        #expect(error?.message.contains("ES256\u{212A}") == true)
        #expect(Algorithm.named("ES256\u{212A}") == nil)
        #expect(Algorithm.named("\u{FF25}S256") == nil)
        for algorithm in Algorithm.allCases { #expect(Algorithm.named(algorithm.rawValue) == algorithm) }
    }

    @Test("a kid selects only the key whose kid has its exact bytes", arguments: lookAlikes.map { ($0.name, $0.key, $0.token) })
    func lookAlikeKid(_ name: String, _ keyKid: String, _ tokenKid: String) throws {
        let key = try SigningKey.generate(.es256, kid: keyKid)
        let keys = KeySet(keys: [key.verificationKey])
        #expect(keys.keys(withKid: tokenKid).isEmpty, "\(name)")
        #expect(keys.keys(withKid: keyKid).count == 1, "\(name)")
        // Signed by the very key, but naming it with a look-alike kid: no key has that kid.
        let token = try key.sign(claims: ["exp": .integer(4_000_000_000)], extraHeader: ["kid": .string(tokenKid)])
        let error = expectFailure(.keyNotFound) { try Verifier(keys: keys).verify(token) }
        #expect(error != nil, "\(name)")
        _ = try Verifier(keys: keys).verify(try key.sign(claims: ["exp": .integer(4_000_000_000)]))
    }

    @Test("two keys whose kids are canonically equivalent are two kids, not one shared kid")
    func lookAlikeKidsInOneSet() throws {
        let first = try SigningKey.generate(.es256, kid: "K1"), second = try SigningKey.generate(.es256, kid: "\u{212A}1")
        let set = try KeySet(jwksJSON: KeySet(keys: [first.verificationKey, second.verificationKey]).publicJWKS.jsonText)
        #expect(set.skipped.isEmpty, "\(set.skipped.map(\.reason))")
        #expect(set.keys(withKid: "K1").map(\.thumbprint) == [first.verificationKey.thumbprint])
        #expect(set.keys(withKid: "\u{212A}1").map(\.thumbprint) == [second.verificationKey.thumbprint])
    }

    @Test("a look-alike kid is not told about the skipped key it resembles")
    func lookAlikeSkippedKey() throws {
        let key = try SigningKey.generate(.es256, kid: "K1"), other = try SigningKey.generate(.es256, kid: "other")
        var jwk = key.verificationKey.publicJWK
        jwk["use"] = "enc"
        let set = try KeySet(jwksJSON: JSONValue.object(["keys": .array([.object(jwk), .object(other.verificationKey.publicJWK)])]).jsonText)
        #expect(set.skipped.count == 1)
        let exact = expectFailure(.keyNotFound) { try Verifier(keys: set).verify(try key.sign(claims: ["exp": .integer(4_000_000_000)])) }
        #expect(exact?.message.contains("was skipped") == true, "\(exact?.message ?? "")")
        let token = try key.sign(claims: ["exp": .integer(4_000_000_000)], extraHeader: ["kid": "\u{212A}1"])
        let lookAlike = expectFailure(.keyNotFound) { try Verifier(keys: set).verify(token) }
        #expect(lookAlike?.message.contains("no key has kid") == true, "\(lookAlike?.message ?? "")")
    }
}
