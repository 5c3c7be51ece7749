import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// Issue 13, "the maximum staleness of keys": after failed refreshes the last good key set served forever, so a
/// key the issuer revoked stayed valid for as long as its JWKS endpoint was blocked. It now serves for at most
/// `KeyCachePolicy.maximumStaleness` past its lifetime, then the source answers `jwks_unavailable`.
@Suite("Regression: the last good keys serve for a bounded time only")
struct MaximumStalenessTests {
    let clock = ManualClock()

    /// A JWKS endpoint that answers with keys (max-age 60), or with 500 while it fails.
    struct Endpoint {
        let server: TestHTTPServer
        let jwks: String

        init(_ issuer: Issuer) throws {
            jwks = issuer.jwks
            server = try TestHTTPServer { [jwks] _ in .json(jwks, headers: [("Cache-Control", "max-age=60")]) }
        }

        func fail(_ failing: Bool) {
            server.setHandler { [jwks] _ in
                failing ? .json("{\"error\":\"down\"}", status: 500) : .json(jwks, headers: [("Cache-Control", "max-age=60")])
            }
        }
    }

    func verifier(_ endpoint: Endpoint, staleness: Double) throws -> (JWKSVerifier, RemoteKeySource) {
        let policy = KeyCachePolicy(minimumLifetime: 0, retryAfterFailure: 0, maximumStaleness: staleness)
        let source = try RemoteKeySource(.http(endpoint.server.url("/jwks.json")), cachePolicy: policy, clock: clock.function)
        return (try JWKSVerifier(source: source, configuration: configuration(clock)), source)
    }

    @Test("stale keys serve within the limit, are refused beyond it with the reason, and serve again once the endpoint recovers")
    func boundedStaleness() async throws {
        let issuer = try Issuer()
        let endpoint = try Endpoint(issuer)
        defer { endpoint.server.stop() }
        let (verifier, source) = try verifier(endpoint, staleness: 600)
        let start = clock.now
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        endpoint.fail(true)

        clock.advance(61)
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(await eventually { await source.status().lastError != nil })
        clock.advance(500)
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        var status = await source.status()
        #expect(status.servedUntil == start + 60 + 600)
        #expect(!status.isTooStale(now: clock.now))

        clock.advance(100)
        let error = await #expect(throws: LayabAuthError.self) { try await verifier.verify(try issuer.token(now: clock.now)) }
        #expect(error?.code == .jwksUnavailable)
        #expect(error?.message.contains("maximum staleness of 10m") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("HTTP 500") == true, "\(error?.message ?? "")")
        status = await source.status()
        #expect(status.isTooStale(now: clock.now))
        #expect(status.keys != nil, "the status still shows the keys held, for the key browser")

        endpoint.fail(false)
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        status = await source.status()
        #expect(status.lastError == nil)
        #expect(status.servedUntil == clock.now + 60 + 600)
    }

    @Test("the default limit is 24 hours, and an infinite one keeps the old behaviour")
    func unlimited() async throws {
        #expect(KeyCachePolicy.default.maximumStaleness == 86_400)
        let issuer = try Issuer()
        let endpoint = try Endpoint(issuer)
        defer { endpoint.server.stop() }
        let (verifier, source) = try verifier(endpoint, staleness: .infinity)
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        endpoint.fail(true)
        clock.advance(30 * 86_400)
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(await eventually { await source.status().lastError != nil })
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(await source.status().servedUntil == nil)
    }
}
