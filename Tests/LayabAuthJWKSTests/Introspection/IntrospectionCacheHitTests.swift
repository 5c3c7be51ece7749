import Foundation
import LayabAuth
@testable import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// The synchronous hit path of the introspection cache and the SHA-256 its keys are made of.
@Suite("Introspection cache hits")
struct IntrospectionCacheHitTests {
    static let token = "opaque-4f9a1c2e7b"

    /// Counts the cache's fetches, answering inactive.
    final class Fetches: Sendable {
        private let count = Locked(0)
        var made: Int { count.withLock { $0 } }
        var fetch: @Sendable () async -> Result<IntrospectionAnswer, LayabAuthError> {
            { [self] in
                count.withLock { $0 += 1 }
                return .success(.inactive)
            }
        }
    }

    static func hex(_ words: SHA256.Words?) -> String? {
        guard var words else { return nil }
        return withUnsafeBytes(of: &words) { $0.map { String(format: "%02x", $0) }.joined() }
    }

    @Test("the digest into the fixed buffer is SHA-256", arguments: [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (token, "c4f42401f26d916214f60a8f749efd704080132301429d92db7df0eb541e862b"),
        ("opaque-warm-0123456789abcdef0123456789abcdef-é", "23707fb5105c2e1e49a09cee87b018b1c8cce1be221c883d809ea836a69a4581"),
    ])
    func fixedDigest(text: String, expected: String) {
        #expect(Self.hex(SHA256.words(of: text)) == expected)
        // The same bytes, in the same order, as the array digest.
        #expect(SHA256.digest(text.utf8).map { $0.map { String(format: "%02x", $0) }.joined() } == expected)
        // A string without contiguous UTF-8 at hand goes through a copy: same digest.
        #expect(Self.hex(Array(text.utf8).withUnsafeBytes { SHA256.words(of: $0) }) == expected)
    }

    @Test("a key from the fixed buffer equals the key from the array digest, and hashes the same")
    func keyFromWords() throws {
        for token in [Self.token, "abc", String(repeating: "x", count: 4096)] {
            let fromWords = try #require(IntrospectionCache.key(token))
            let fromArray = try #require(SHA256.digest(token.utf8).flatMap(IntrospectionCache.Key.init(digest:)))
            #expect(fromWords == fromArray)
            #expect(fromWords.hashValue == fromArray.hashValue)
            #expect(fromWords.digest == SHA256.digest(token.utf8))
        }
        #expect(IntrospectionCache.key("a") != IntrospectionCache.key("b"))
    }

    @Test("cachedAnswer finds what answer(for:) stored without fetching, until it expires; an expired entry is dropped and fetched again")
    func synchronousLookup() async throws {
        let clock = ManualClock()
        let cache = try IntrospectionCache(inactiveLifetime: 5)
        let fetches = Fetches()
        let key = try #require(IntrospectionCache.key(Self.token))
        #expect(cache.cachedAnswer(for: key, now: clock.now) == nil)
        let first = try await cache.answer(for: key, now: clock.function, fetch: fetches.fetch)
        #expect(first.0 == .inactive && !first.cached && fetches.made == 1)
        for _ in 0..<3 { #expect(cache.cachedAnswer(for: key, now: clock.now) == .inactive) }
        let again = try await cache.answer(for: Self.token, now: clock.function, fetch: fetches.fetch)
        #expect(again.cached && fetches.made == 1)
        clock.advance(5)
        #expect(cache.cachedAnswer(for: key, now: clock.now) == nil)
        #expect(cache.count == 0)
        let refetched = try await cache.answer(for: key, now: clock.function, fetch: fetches.fetch)
        #expect(!refetched.cached && fetches.made == 2 && cache.count == 1)
    }

    @Test("a hit touches its entry: the least recently used one is dropped when full")
    func hitTouches() async throws {
        let clock = ManualClock()
        let cache = try IntrospectionCache(capacity: 2)
        let fetches = Fetches()
        let keys = try ["a", "b", "c"].map { try #require(IntrospectionCache.key($0)) }
        for key in keys.prefix(2) { _ = try await cache.answer(for: key, now: clock.function, fetch: fetches.fetch) }
        #expect(cache.cachedAnswer(for: keys[0], now: clock.now) == .inactive)  // a is now newer than b
        _ = try await cache.answer(for: keys[2], now: clock.function, fetch: fetches.fetch)
        #expect(Set(cache.keys) == [keys[0], keys[2]])
    }

    @Test("verify and report share the hits: no request while the answer holds, one more at its expiry to the second")
    func verifierHits() async throws {
        let clock = ManualClock()
        let provider = try IntrospectionProvider()
        provider.activate(Self.token, ["sub": "alice", "scope": "read", "exp": .integer(Int64(clock.now + 100))])
        let verifier = try provider.verifier(configuration: VerifierConfiguration(clock: clock.function), cache: IntrospectionCache(activeLifetime: 30))
        #expect(await verifier.report(Self.token).fromCache == false)
        #expect(try await verifier.verify(Self.token, requiring: .all("read")).claims.subject == "alice")
        clock.advance(29.999)
        #expect(await verifier.report(Self.token, requiring: .all("read")).fromCache)
        #expect(provider.requestCount == 1)
        clock.advance(0.001)
        #expect(await verifier.report(Self.token).fromCache == false)
        #expect(provider.requestCount == 2)
    }
}
