import LayabAuth
import LayabAuthTesting
import Testing

@Suite("Binding: DPoP nonces (RFC 9449 §8) and the in-memory replay store")
struct DPoPNonceAndStoreTests {
    static let secret = [UInt8](repeating: 0x5A, count: 32)

    @Test("a nonce is accepted in its slot and the next, not after, and not from another secret")
    func nonceSlots() throws {
        let source = try TimeSlotNonceSource(secret: Self.secret, slotLength: 60)
        let nonce = source.current(now: 1_000_020)
        #expect(source.accepts(nonce, now: 1_000_020))
        #expect(source.accepts(nonce, now: 1_000_079))
        #expect(!source.accepts(nonce, now: 1_000_200))
        #expect(source.current(now: 1_000_200) != nonce)
        let other = try TimeSlotNonceSource(secret: [UInt8](repeating: 1, count: 32), slotLength: 60)
        #expect(!other.accepts(nonce, now: 1_000_020))
        #expect(throws: LayabAuthError.self) { try TimeSlotNonceSource(secret: [1, 2, 3]) }
        #expect(throws: LayabAuthError.self) { try TimeSlotNonceSource(secret: Self.secret, slotLength: .nan) }
    }

    @Test("with a nonce source, a proof without a nonce or with a stale one gets use_dpop_nonce and a DPoP-Nonce header")
    func nonceRequired() async throws {
        let fixture = try DPoPFixture()
        let source = try TimeSlotNonceSource(secret: Self.secret, slotLength: 60)
        let policy = SenderConstraintPolicy(nonceSource: source)
        let token = try fixture.boundToken()
        let current = source.current(now: fixture.now)
        for nonce in [nil, "stale-nonce", source.current(now: fixture.now - 600)] {
            let error = await fixture.refusal(token, proofs: [try fixture.proof(for: token, nonce: nonce)], policy: policy)
            #expect(error?.code == .useDPoPNonce)
            let challenge = try #require(error?.challenge())
            #expect(challenge.status == 401)
            #expect(challenge.headers.contains { $0.name == "DPoP-Nonce" && $0.value == current })
            #expect(challenge.headers.first?.value.hasPrefix("DPoP error=\"use_dpop_nonce\"") == true)
        }
        _ = try await fixture.verify(token, proofs: [try fixture.proof(for: token, nonce: current)], policy: policy)
    }

    @Test("the in-memory store refuses a replay, forgets expired proofs, and keys by jti and key")
    func storeExpiry() async throws {
        let store = InMemoryDPoPReplayStore(capacity: 10)
        #expect(try await store.firstUse(jti: "a", keyThumbprint: "k1", expiresAt: 160, now: 100))
        #expect(try await !store.firstUse(jti: "a", keyThumbprint: "k1", expiresAt: 160, now: 150))
        #expect(try await store.firstUse(jti: "a", keyThumbprint: "k2", expiresAt: 160, now: 150))
        #expect(try await store.firstUse(jti: "a", keyThumbprint: "k1", expiresAt: 230, now: 170))
        // Byte-exact keys: the Kelvin sign is not K.
        #expect(try await store.firstUse(jti: "\u{212A}", keyThumbprint: "k1", expiresAt: 300, now: 170))
        #expect(try await store.firstUse(jti: "K", keyThumbprint: "k1", expiresAt: 300, now: 170))
    }

    @Test("the in-memory store is bounded: full of live proofs it refuses, once they expire it makes room")
    func storeBounds() async throws {
        let store = InMemoryDPoPReplayStore(capacity: 3)
        for jti in ["1", "2", "3"] { #expect(try await store.firstUse(jti: jti, keyThumbprint: "k", expiresAt: 200, now: 100)) }
        await #expect(throws: LayabAuthError.self) { _ = try await store.firstUse(jti: "4", keyThumbprint: "k", expiresAt: 200, now: 100) }
        // A replay of a remembered proof is still recognised when full.
        #expect(try await !store.firstUse(jti: "1", keyThumbprint: "k", expiresAt: 200, now: 100))
        #expect(try await store.firstUse(jti: "4", keyThumbprint: "k", expiresAt: 400, now: 300))
        #expect(store.count == 1)
    }

    @Test("a replay store that fails refuses the request with 503, never accepts it")
    func storeFailure() async throws {
        struct DownStore: DPoPReplayStore {
            func firstUse(jti: String, keyThumbprint: String, expiresAt: Double, now: Double) async throws(LayabAuthError) -> Bool {
                throw LayabAuthError(.replayStoreUnavailable, "the database at 127.0.0.1:5432 is down")
            }
        }
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let error = await fixture.refusal(token, proofs: [try fixture.proof(for: token)], policy: SenderConstraintPolicy(replayStore: DownStore()))
        #expect(error?.code == .replayStoreUnavailable)
        let challenge = try #require(error?.challenge())
        #expect(challenge.status == 503)
        #expect(!challenge.body.contains("127.0.0.1"))
    }
}
