import Benchmark
import BenchmarkFixtures
import LayabAuth
import LayabAuthJWKS

/// Verification with a warm verified-token cache: the same RS256 token presented again, as a client sends
/// its access token with every request. Static keys, so that only the cache and the verifier are measured.
func cacheBenchmarks() {
    let fixture = Fixtures.fixture(.rs256)
    let verifier: JWKSVerifier
    do {
        verifier = try JWKSVerifier(source: StaticKeySource(fixture.verifier.keys), configuration: fixture.verifier.configuration,
                                    tokenCache: VerifiedTokenCache())
    } catch {
        fatalError("the cache benchmarks' verifier: \(error)")
    }

    Benchmark("Cache hit JWKSVerifier.verify RS256") { benchmark in
        let token = fixture.token
        _ = try await verifier.verify(token)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await verifier.verify(token))
        }
    }

    Benchmark("Cache hit JWKSVerifier.verify RS256 requiring a scope") { benchmark in
        let token = fixture.token
        let requirement = ScopeRequirement.all("read:orders")
        _ = try await verifier.verify(token, requiring: requirement)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await verifier.verify(token, requiring: requirement))
        }
    }
}
