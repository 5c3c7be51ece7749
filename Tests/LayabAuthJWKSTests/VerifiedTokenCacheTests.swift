import LayabAuth
@testable import LayabAuthJWKS
import Synchronization
import Testing

/// A key source whose set the test replaces, as a JWKS refresh would.
final class SwappableKeySource: KeySource {
    private let keys: Mutex<KeySet>
    init(_ keys: KeySet) { self.keys = Mutex(keys) }
    func replace(with keys: KeySet) { self.keys.withLock { $0 = keys } }
    func currentKeys() async throws(LayabAuthError) -> KeySet { keys.withLock { $0 } }
    func refresh(forUnknownKid kid: String) async -> KeySet? { nil }
    func forceRefresh() async throws(LayabAuthError) -> KeySet { keys.withLock { $0 } }
    func status() async -> KeySourceStatus { KeySourceStatus(location: "test keys", keys: keys.withLock { $0 }) }
}

/// Counts full verifications: the scope extractor runs once per token that reaches the claims, never on a hit.
final class VerificationCounter: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    var extractor: ScopeExtractor {
        ScopeExtractor { [self] token, claims in
            value.withLock { $0 += 1 }
            return ScopeExtractor.standard.extract(token, claims)
        }
    }
}

@Suite("Verified-token cache: hits answer as a full verification would")
struct VerifiedTokenCacheTests {
    let clock = ManualClock()
    let issuer: Issuer
    let counter = VerificationCounter()

    init() throws { issuer = try Issuer(kids: ["k1", "k2"]) }

    func verifier(source: any KeySource, capacity: Int = 100, requiredClaims: [String] = ["exp"]) throws -> JWKSVerifier {
        var configuration = configuration(clock)
        configuration.scopeExtractor = counter.extractor
        configuration.requiredClaims = requiredClaims
        return try JWKSVerifier(source: source, configuration: configuration, tokenCache: VerifiedTokenCache(capacity: capacity))
    }

    var keySet: KeySet { KeySet(keys: issuer.keys.map(\.verificationKey)) }

    func token(kid: String = "k1", lifetime: Double = 3600, extra: JSONObject = [:]) throws -> String {
        let key = issuer.keys.first { $0.kid == kid } ?? issuer.keys[0]
        var claims: JSONObject = ["iss": .string(issuer.name), "sub": "alice", "exp": .integer(Int64(clock.now + lifetime)),
                                  "iat": .integer(Int64(clock.now))]
        for member in extra { claims[member.name] = member.value }
        return try key.sign(claims: claims)
    }

    @Test("a token verified once is answered from the cache")
    func hit() async throws {
        let verifier = try verifier(source: StaticKeySource(keySet))
        let token = try token()
        let first = try await verifier.verify(token)
        let second = try await verifier.verify(token)
        #expect(counter.count == 1)
        #expect(verifier.tokenCache?.count == 1)
        #expect(second.raw == first.raw)
        #expect(second.claims == first.claims)
        #expect(second.key?.kid == "k1")
    }

    @Test("the cache is off by default in JWKSVerifier")
    func offByDefault() async throws {
        var configuration = configuration(clock)
        configuration.scopeExtractor = counter.extractor
        let verifier = try JWKSVerifier(source: StaticKeySource(keySet), configuration: configuration)
        #expect(verifier.tokenCache == nil)
        let token = try token()
        _ = try await verifier.verify(token)
        _ = try await verifier.verify(token)
        #expect(counter.count == 2)
    }

    @Test("an entry expires with its token: the hit is refused and the expiry reported")
    func expiry() async throws {
        let verifier = try verifier(source: StaticKeySource(keySet))
        let token = try token(lifetime: 60)
        _ = try await verifier.verify(token)
        clock.advance(60 + 29)
        _ = try await verifier.verify(token) // within the 30 s leeway: still a hit
        #expect(counter.count == 1)
        clock.advance(1)
        await expectError(.expired, containing: "expired") { _ = try await verifier.verify(token) }
        #expect(verifier.tokenCache?.count == 0)
    }

    @Test("nbf and iat are checked again on a hit with the configured clock")
    func notBefore() async throws {
        let verifier = try verifier(source: StaticKeySource(keySet))
        let token = try token(extra: ["nbf": .integer(Int64(clock.now))])
        _ = try await verifier.verify(token)
        // The clock moves back (a test clock, or a corrected wall clock): the token is not valid yet.
        clock.advance(-31)
        await expectError(.notYetValid, containing: "not valid for another") { _ = try await verifier.verify(token) }
        #expect(verifier.tokenCache?.count == 0)
    }

    @Test("the least recently used entry makes room for a new one")
    func eviction() async throws {
        let verifier = try verifier(source: StaticKeySource(keySet), capacity: 2)
        let one = try token(extra: ["jti": "1"]), two = try token(extra: ["jti": "2"]), three = try token(extra: ["jti": "3"])
        _ = try await verifier.verify(one)
        _ = try await verifier.verify(two)
        _ = try await verifier.verify(one) // hit: one is now the most recently used
        #expect(counter.count == 2)
        _ = try await verifier.verify(three) // evicts two
        #expect(verifier.tokenCache?.count == 2)
        _ = try await verifier.verify(one)
        #expect(counter.count == 3)
        _ = try await verifier.verify(two)
        #expect(counter.count == 4)
    }

    @Test("a new key set empties the cache: a removed key stops verifying at once")
    func keySetChange() async throws {
        let source = SwappableKeySource(keySet)
        let verifier = try verifier(source: source)
        let token = try token(kid: "k1")
        _ = try await verifier.verify(token)
        _ = try await verifier.verify(token)
        #expect(counter.count == 1)
        source.replace(with: KeySet(keys: issuer.keys.filter { $0.kid == "k2" }.map(\.verificationKey)))
        await expectError(.keyNotFound, containing: "k1") { _ = try await verifier.verify(token) }
        #expect(verifier.tokenCache?.count == 0)
    }

    @Test("the same keys published anew also empty the cache, then it fills again")
    func sameKeysNewSet() async throws {
        let source = SwappableKeySource(keySet)
        let verifier = try verifier(source: source)
        let token = try token()
        _ = try await verifier.verify(token)
        source.replace(with: keySet)
        _ = try await verifier.verify(token)
        #expect(counter.count == 2)
        _ = try await verifier.verify(token)
        #expect(counter.count == 2)
    }

    @Test("required scopes are enforced on every hit")
    func scopesOnHit() async throws {
        let verifier = try verifier(source: StaticKeySource(keySet))
        let token = try token(extra: ["scope": "read write"])
        _ = try await verifier.verify(token, requiring: .all("read"))
        await expectError(.insufficientScope, containing: "missing scope [admin]") {
            _ = try await verifier.verify(token, requiring: .all("admin"))
        }
        _ = try await verifier.verify(token, requiring: .any("admin", "write"))
        #expect(counter.count == 1)
    }

    @Test("a token refused for its scopes on first sight is still cached, and still refused")
    func scopesOnMiss() async throws {
        let verifier = try verifier(source: StaticKeySource(keySet))
        let token = try token(extra: ["scope": "read"])
        await expectError(.insufficientScope, containing: "missing scope [admin]") {
            _ = try await verifier.verify(token, requiring: .all("admin"))
        }
        await expectError(.insufficientScope, containing: "missing scope [admin]") {
            _ = try await verifier.verify(token, requiring: .all("admin"))
        }
        #expect(counter.count == 1)
    }

    @Test("a tampered token never hits", arguments: ["header", "payload", "signature"])
    func tampered(segment: String) async throws {
        let verifier = try verifier(source: StaticKeySource(keySet))
        let token = try token(extra: ["scope": "read"])
        _ = try await verifier.verify(token)
        var parts = token.split(separator: ".").map(String.init)
        let index = ["header": 0, "payload": 1, "signature": 2][segment] ?? 0
        // Change one character in the middle of the segment (the last one may only carry padding bits).
        var characters = Array(parts[index])
        let middle = characters.count / 2
        characters[middle] = characters[middle] == "A" ? "B" : "A"
        parts[index] = String(characters)
        let forged = parts.joined(separator: ".")
        do {
            _ = try await verifier.verify(forged)
            Issue.record("a tampered \(segment) was accepted")
        } catch {
            // Refused by a full verification: a bad signature, or a header or payload that no longer
            // decodes or names something else; never a failure to get keys.
            if segment == "signature" {
                #expect(error.code == .badSignature)
            } else {
                let refusals: [LayabAuthError.Code] = [.badSignature, .malformed, .keyNotFound, .unsupportedAlgorithm, .algorithmNotAllowed]
                #expect(refusals.contains(error.code), "\(error)")
            }
        }
        #expect(counter.count == 1)
        #expect(verifier.tokenCache?.count == 1)
    }

    @Test("tokens are compared byte for byte, not as canonically equivalent strings")
    func byteEquality() {
        let composed = VerifiedTokenCache.TokenKey("caf\u{E9}")
        let decomposed = VerifiedTokenCache.TokenKey("cafe\u{301}")
        #expect("caf\u{E9}" == "cafe\u{301}")
        #expect(composed != decomposed)
        #expect(VerifiedTokenCache.TokenKey("abc") == VerifiedTokenCache.TokenKey(String("xabc".dropFirst())))
    }

    @Test("tokens without exp are verified every time, never cached")
    func noExpiry() async throws {
        let verifier = try verifier(source: StaticKeySource(keySet), requiredClaims: [])
        let token = try issuer.keys[0].sign(claims: ["iss": .string(issuer.name), "sub": "alice"])
        _ = try await verifier.verify(token)
        _ = try await verifier.verify(token)
        #expect(counter.count == 2)
        #expect(verifier.tokenCache?.count == 0)
    }

    /// The cache stays (it may be shared); what the old configuration verified no longer answers.
    @Test("a verifier whose configuration changes no longer answers from what the old one verified")
    func configurationChange() async throws {
        var verifier = try verifier(source: StaticKeySource(keySet))
        let token = try token()
        _ = try await verifier.verify(token)
        let original = verifier.tokenCache
        verifier.configuration.audiences = ["another-api"]
        #expect(verifier.tokenCache === original)
        await expectError(.missingClaim, containing: "aud") { _ = try await verifier.verify(token) }
    }

    @Test("concurrent verifications of many tokens keep the cache bounded and consistent")
    func concurrency() async throws {
        let verifier = try verifier(source: StaticKeySource(keySet), capacity: 8)
        let tokens = try (0..<20).map { try token(extra: ["jti": .string("\($0)")]) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<4 {
                for (index, token) in tokens.enumerated() where (index + round) % 2 == 0 {
                    group.addTask { _ = try await verifier.verify(token) }
                }
            }
            try await group.waitForAll()
        }
        #expect(verifier.tokenCache?.count == 8)
    }
}
