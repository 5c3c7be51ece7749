import LayabAuth
import LayabAuthJWKS
import Testing

/// Issue 13, "tying the verified-token cache to its configuration": a cache shared by two verifiers with
/// different audiences, issuers, required claims or algorithms answered one's hit for the other, skipping
/// every check the other configuration adds. Each verifier now answers only from its own entries.
@Suite("Regression: a shared verified-token cache never answers for another configuration")
struct SharedTokenCacheTests {
    let clock = ManualClock()

    func pair(_ adjust: (inout VerifierConfiguration) -> Void) throws -> (lax: JWKSVerifier, strict: JWKSVerifier, token: String) {
        let issuer = try Issuer()
        let cache = VerifiedTokenCache(capacity: 16)
        let source = StaticKeySource(KeySet(keys: issuer.keys.map(\.verificationKey)))
        var strictConfiguration = configuration(clock)
        adjust(&strictConfiguration)
        let lax = try JWKSVerifier(source: source, configuration: configuration(clock), tokenCache: cache)
        let strict = try JWKSVerifier(source: source, configuration: strictConfiguration, tokenCache: cache)
        return (lax, strict, try issuer.token(now: clock.now))
    }

    // The issuer's tokens carry no aud: an audience requirement refuses them as missing_claim.
    static let stricter: [(code: LayabAuthError.Code, adjust: @Sendable (inout VerifierConfiguration) -> Void)] = [
        (.missingClaim, { $0.audiences = ["other-api"] }),
        (.issuerMismatch, { $0.issuers = ["https://other-issuer.test"] }),
        (.missingClaim, { $0.requiredClaims = ["exp", "jti"] }),
        (.algorithmNotAllowed, { $0.algorithms = [.rs256] }),
        // Its tokens are typ JWT.
        (.wrongTokenType, { $0.requiredTypes = ["at+jwt"] }),
    ]

    @Test("a token the lax verifier cached is refused by the strict one sharing the cache", arguments: stricter.indices)
    func strictAfterLax(_ index: Int) async throws {
        let (code, adjust) = Self.stricter[index]
        let (lax, strict, token) = try pair(adjust)
        _ = try await lax.verify(token)
        #expect(lax.tokenCache?.count == 1)
        let error = await #expect(throws: LayabAuthError.self) { try await strict.verify(token) }
        #expect(error?.code == code)
        // The lax verifier's entry still answers it.
        _ = try await lax.verify(token)
    }
}
