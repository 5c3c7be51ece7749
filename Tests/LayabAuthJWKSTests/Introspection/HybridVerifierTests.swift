import LayabAuth
@testable import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// JWTs verified locally, opaque tokens introspected.
@Suite("Hybrid verifier")
struct HybridVerifierTests {
    @Test("token shapes", arguments: [
        ("eyJhbGciOiJFUzI1NiJ9.e30.c2ln", true),
        ("opaque-4f9a1c2e7b", false),
        ("a.b.c", false),
        ("eyJhbGciOiJFUzI1NiJ9.e30", false),
        ("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", false),
        ("e30.e30.", true),
    ])
    func shapes(_ token: String, jws: Bool) {
        #expect(HybridVerifier.isJWSShaped(token) == jws, "\(token)")
    }

    @Test("a JWT goes to the keys, an opaque token to the endpoint; introspectEverything sends both to the endpoint")
    func routing() async throws {
        let clock = ManualClock()
        let issuer = try Issuer()
        let provider = try IntrospectionProvider()
        provider.activate("opaque-1", ["sub": "bob", "exp": .integer(Int64(clock.now + 600))])
        let jwt = try issuer.token(now: clock.now)
        provider.activate(jwt, ["sub": "alice-introspected", "exp": .integer(Int64(clock.now + 600))])
        let keys = StaticKeySource(try KeySet(jwksJSON: issuer.jwks))
        var hybrid = HybridVerifier(jwt: try JWKSVerifier(source: keys, configuration: configuration(clock)),
                                    introspection: try provider.verifier(configuration: configuration(clock)))
        let local = try await hybrid.verify(jwt)
        #expect(!local.isIntrospected && local.key?.kid == "k1" && local.claims.subject == "alice")
        let opaque = try await hybrid.verify("opaque-1")
        #expect(opaque.isIntrospected && opaque.claims.subject == "bob")
        #expect(provider.requestCount == 1)
        hybrid.routing = .introspectEverything
        #expect(try await hybrid.verify(jwt).claims.subject == "alice-introspected")
        #expect(provider.requestCount == 2)
    }

    @Test("the integrations' cachingVerifiedTokens gives a hybrid's JWT verifier a verified-token cache, keeping its routing and endpoint")
    func cachingVerifiedTokens() async throws {
        let clock = ManualClock()
        let issuer = try Issuer()
        let provider = try IntrospectionProvider()
        let keys = StaticKeySource(try KeySet(jwksJSON: issuer.jwks))
        let hybrid = HybridVerifier(jwt: try JWKSVerifier(source: keys, configuration: configuration(clock)),
                                    introspection: try provider.verifier(configuration: configuration(clock)), routing: .introspectEverything)
        #expect(hybrid.jwt.tokenCache == nil)
        let cached = try #require(hybrid.cachingVerifiedTokens() as? HybridVerifier)
        #expect(cached.jwt.tokenCache != nil)
        #expect(cached.routing == .introspectEverything)
        #expect(cached.introspection.cache === hybrid.introspection.cache)
    }
}
