import Benchmark
import BenchmarkFixtures
import LayabAuth
import LayabAuthJWKS

/// `MultiIssuerVerifier.selection(for:)` with 1 and with 100 trusted issuers (the token's issuer the last of
/// them): the difference is what many issuers cost a token. Both decode the token the same way.
func issuerSelectionBenchmarks() {
    let fixture = Fixtures.fixture(.rs256)
    let issuer = fixture.verifier.configuration.issuers.first ?? "https://issuer.example"
    let source = StaticKeySource(fixture.verifier.keys)
    func verifier(_ count: Int) -> MultiIssuerVerifier {
        do {
            var issuers = try (0..<(count - 1)).map { try TrustedIssuer(match: .exact("https://issuer-\($0).example/"), source: source) }
            issuers.append(try TrustedIssuer(match: .exact(issuer), source: source))
            return try MultiIssuerVerifier(issuers)
        } catch {
            fatalError("the issuer selection benchmarks' verifier: \(error)")
        }
    }
    for count in [1, 100] {
        let multi = verifier(count)
        Benchmark("Issuers selection among \(count)") { benchmark in
            let token = fixture.token
            guard multi.selection(for: token).index == count - 1 else { fatalError("the token did not select its issuer among \(count)") }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(multi.selection(for: token))
            }
        }
    }
}
