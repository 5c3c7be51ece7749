import LayabAuth
import LayabAuthTesting
import Testing

@Suite("Binding: the cache of DPoP proof keys")
struct DPoPKeyCacheTests {
    /// The public JWK of `key` as a client puts it in a proof's header, with `extra` members added.
    private static func jwk(_ key: SigningKey, _ extra: JSONObject = [:]) -> JSONObject {
        var jwk = JSONObject()
        for member in key.verificationKey.publicJWK where member.name != "kid" && member.name != "alg" { jwk[member.name] = member.value }
        for member in extra { jwk[member.name] = member.value }
        return jwk
    }

    /// Imports as a proof does, counting the imports.
    private final class Importer: Sendable {
        let imports = Locked(0)
        func callAsFunction(_ jwk: JSONObject) throws(LayabAuthError) -> VerificationKey {
            imports.withLock { $0 += 1 }
            return try VerificationKey(jwk: jwk, origin: .remote)
        }
        var count: Int { imports.withLock { $0 } }
    }

    @Test("a key seen before is not imported again, and the proofs it signs verify")
    func hit() throws {
        let cache = DPoPKeyCache(capacity: 8)
        let importer = Importer()
        let key = try SigningKey.generate(.es256)
        let first = try cache.key(for: Self.jwk(key), importKey: importer.callAsFunction)
        let second = try cache.key(for: Self.jwk(key), importKey: importer.callAsFunction)
        #expect(importer.count == 1)
        #expect(first.thumbprint == key.verificationKey.thumbprint && second.thumbprint == first.thumbprint)

        // Through the proof path (the shared cache): the second proof of one key finds it and still verifies.
        let policy = SenderConstraintPolicy()
        for jti in ["a", "b"] {
            let proof = try DPoPProof.make(method: "GET", url: "https://api.example.com/orders", key: key, jti: jti)
            let verified = try DPoPProof.verify(proof, policy: policy)
            #expect(verified.signatureVerified && verified.key.thumbprint == key.verificationKey.thumbprint)
        }
    }

    @Test("a JWK that differs in any byte is imported afresh: a kid shared with another key selects nothing")
    func collidingKid() throws {
        let cache = DPoPKeyCache(capacity: 8)
        let importer = Importer()
        let (a, b) = (try SigningKey.generate(.es256), try SigningKey.generate(.es256))
        let keyA = try cache.key(for: Self.jwk(a, ["kid": "shared"]), importKey: importer.callAsFunction)
        let keyB = try cache.key(for: Self.jwk(b, ["kid": "shared"]), importKey: importer.callAsFunction)
        #expect(importer.count == 2)
        #expect(keyA.thumbprint == a.verificationKey.thumbprint && keyB.thumbprint == b.verificationKey.thumbprint)
        // The same key under another kid is another JWK: imported again, and keeps its own kid.
        let renamed = try cache.key(for: Self.jwk(a, ["kid": "other"]), importKey: importer.callAsFunction)
        #expect(importer.count == 3 && renamed.kid == "other")

        // Proofs: A's key cached under kid "shared"; a proof signed by A whose jwk is B's (same kid) is refused,
        // and B's own proof verifies with B's key.
        let policy = SenderConstraintPolicy()
        let url = "https://api.example.com/orders"
        _ = try DPoPProof.verify(try DPoPProof.make(method: "GET", url: url, key: a, header: ["jwk": .object(Self.jwk(a, ["kid": "shared"]))]), policy: policy)
        let forged = try DPoPProof.make(method: "GET", url: url, key: a, header: ["jwk": .object(Self.jwk(b, ["kid": "shared"]))])
        #expect(throws: LayabAuthError.self) { try DPoPProof.verify(forged, policy: policy) }
        let genuine = try DPoPProof.verify(try DPoPProof.make(method: "GET", url: url, key: b, header: ["jwk": .object(Self.jwk(b, ["kid": "shared"]))]),
                                           policy: policy)
        #expect(genuine.key.thumbprint == b.verificationKey.thumbprint)
        // And the reverse order: B's key cached first does not verify A's signature either.
        let forgedByA = try DPoPProof.make(method: "GET", url: url, key: a, header: ["jwk": .object(Self.jwk(b, ["kid": "shared"]))])
        let error = #expect(throws: LayabAuthError.self) { try DPoPProof.verify(forgedByA, policy: policy) }
        #expect(error?.code == .invalidDPoPProof)
    }

    @Test("a key that fails to import is not kept")
    func failureNotKept() throws {
        let cache = DPoPKeyCache(capacity: 8)
        let importer = Importer()
        var jwk = Self.jwk(try SigningKey.generate(.es256))
        jwk["x"] = "AAAA"
        for _ in 0..<2 { #expect(throws: LayabAuthError.self) { try cache.key(for: jwk, importKey: importer.callAsFunction) } }
        #expect(importer.count == 2 && cache.count == 0)
    }

    @Test("at most capacity keys are kept, the least recently used goes first")
    func bounded() throws {
        let cache = DPoPKeyCache(capacity: 2)
        let importer = Importer()
        let keys = try (0..<3).map { _ in Self.jwk(try SigningKey.generate(.es256)) }
        _ = try cache.key(for: keys[0], importKey: importer.callAsFunction)
        _ = try cache.key(for: keys[1], importKey: importer.callAsFunction)
        _ = try cache.key(for: keys[0], importKey: importer.callAsFunction)  // 0 is now the most recent
        _ = try cache.key(for: keys[2], importKey: importer.callAsFunction)  // evicts 1
        #expect(cache.count == 2 && importer.count == 3)
        _ = try cache.key(for: keys[0], importKey: importer.callAsFunction)
        _ = try cache.key(for: keys[2], importKey: importer.callAsFunction)
        #expect(importer.count == 3)
        _ = try cache.key(for: keys[1], importKey: importer.callAsFunction)  // imported again, evicts 0
        #expect(importer.count == 4 && cache.count == 2)
        _ = try cache.key(for: keys[0], importKey: importer.callAsFunction)
        #expect(importer.count == 5 && cache.count == 2)
        #expect(DPoPKeyCache.shared.capacity == DPoPKeyCache.defaultCapacity)
    }
}
