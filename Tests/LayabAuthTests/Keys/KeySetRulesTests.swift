import LayabAuth
import Testing

@Suite("JWK Set rules")
struct KeySetRulesTests {
    static func secret(_ byte: UInt8) -> JSONValue { .string(Base64URL.encode([UInt8](repeating: byte, count: 32))) }

    static func document(_ keys: [JSONObject]) -> String {
        JSONValue.object(["keys": .array(keys.map(JSONValue.object))]).jsonText
    }

    static func publicJWK(_ algorithm: Algorithm, kid: String) throws -> JSONObject {
        try SigningKey.generate(algorithm, kid: kid).verificationKey.publicJWK
    }

    @Test("a set mixing HMAC secrets with public keys keeps the public keys and refuses the secrets")
    func mixedSymmetry() throws {
        let text = Self.document([["kty": "oct", "kid": "hmac", "alg": "HS256", "k": Self.secret(1)], try Self.publicJWK(.es256, kid: "ec")])
        let keySet = try KeySet(jwksJSON: text, origin: .configured)
        #expect(keySet.keys.map(\.kid) == ["ec"])
        #expect(keySet.skipped.map(\.kid) == ["hmac"])
        #expect(keySet.skipped.first?.reason.contains("mixes") == true, "\(keySet.skipped)")
    }

    @Test("a set of HMAC secrets alone, or of public keys alone, is not affected")
    func unmixedSets() throws {
        let secrets = try KeySet(jwksJSON: Self.document([["kty": "oct", "kid": "a", "k": Self.secret(1)], ["kty": "oct", "kid": "b", "k": Self.secret(2)]]),
                                 origin: .configured)
        #expect(secrets.keys.map(\.kid) == ["a", "b"])
        let publicKeys = try KeySet(jwksJSON: Self.document([try Self.publicJWK(.es256, kid: "a"), try Self.publicJWK(.rs256, kid: "b")]))
        #expect(publicKeys.keys.map(\.kid) == ["a", "b"])
    }

    @Test("different keys of one type sharing a kid are all refused")
    func duplicateKid() throws {
        let text = Self.document([["kty": "oct", "kid": "k", "k": Self.secret(1)], ["kty": "oct", "kid": "k", "k": Self.secret(2)],
                                  ["kty": "oct", "kid": "other", "k": Self.secret(3)]])
        let keySet = try KeySet(jwksJSON: text, origin: .configured)
        #expect(keySet.keys.map(\.kid) == ["other"])
        #expect(keySet.skipped.map(\.index) == [0, 1])
        #expect(keySet.skipped.allSatisfy { $0.reason.contains("kid \"k\" is shared") }, "\(keySet.skipped)")
    }

    @Test("a key that cannot be imported still makes its kid ambiguous")
    func duplicateKidWithBrokenKey() throws {
        let text = Self.document([["kty": "oct", "kid": "k", "k": Self.secret(1)], ["kty": "oct", "kid": "k", "k": "not base64url!"]])
        let keySet = try KeySet(jwksJSON: text, origin: .configured)
        #expect(keySet.keys.isEmpty)
        #expect(keySet.skipped.first?.reason.contains("kid \"k\" is shared") == true, "\(keySet.skipped)")
    }

    @Test("the same key repeated under its kid is kept once")
    func repeatedKey() throws {
        let jwk = try Self.publicJWK(.es256, kid: "k")
        let keySet = try KeySet(jwksJSON: Self.document([jwk, jwk]))
        #expect(keySet.keys.map(\.kid) == ["k"])
        #expect(keySet.skipped.map(\.index) == [1])
        #expect(keySet.skipped.first?.reason.contains("repeats key #0") == true, "\(keySet.skipped)")
    }

    @Test("one key listed under its kid for two algorithms is kept twice")
    func sameKeyTwoAlgorithms() throws {
        var pkcs1 = try Self.publicJWK(.rs256, kid: "k")
        var pss = pkcs1
        pkcs1["alg"] = "RS256"
        pss["alg"] = "PS256"
        let keySet = try KeySet(jwksJSON: Self.document([pkcs1, pss]))
        #expect(keySet.keys.map(\.algorithm) == ["RS256", "PS256"])
        #expect(keySet.skipped.isEmpty)
    }

    @Test("keys of different types may share a kid (RFC 7517 §4.5), and an encryption key never competes")
    func kidAcrossTypesAndUses() throws {
        var encryption = try Self.publicJWK(.rs256, kid: "k")
        encryption["use"] = "enc"
        encryption["alg"] = nil
        let keySet = try KeySet(jwksJSON: Self.document([try Self.publicJWK(.rs256, kid: "k"), try Self.publicJWK(.es256, kid: "k"), encryption]))
        #expect(keySet.keys.map(\.keyType) == [.rsa, .ec])
        #expect(keySet.skipped.map(\.index) == [2])
    }

    @Test("a skipped secret's reason does not repeat its kid")
    func shortSecretReason() throws {
        let short: JSONObject = ["kty": "oct", "kid": "short", "alg": "HS256", "k": .string(Base64URL.encode([UInt8](repeating: 1, count: 31)))]
        let keySet = try KeySet(jwksJSON: Self.document([short]), origin: .configured)
        #expect(keySet.skipped.map(\.description) == ["key #0 (kid \"short\"): the HMAC secret has 31 bytes, at least 32 are required (RFC 7518 §3.2)"])
    }
}
