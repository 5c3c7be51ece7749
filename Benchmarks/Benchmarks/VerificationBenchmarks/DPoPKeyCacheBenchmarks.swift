import Benchmark
import BenchmarkFixtures
import LayabAuth
import LayabAuthTesting

/// Proofs per second of `LAYABAUTH_BENCH_SECONDS` for the cold-key row: each signed by a key of its own, all
/// minted before the first measurement, far more than the key cache holds.
private let coldProofsPerSecond = 12_000

/// "DPoP proof ES256 cold key": every proof carries a key never seen before, so its `jwk` is imported (what the
/// first proof of each client costs). "DPoP proof ES256 LayabAuth" (DPoPBenchmarks.swift) verifies one proof
/// again and again: its key is found in the cache of proof keys. Scripts/ratios.py sets both beside
/// "Verify ES256 LayabAuth" and "Verify ES256 OpenSSL" of the same run.
func dpopKeyCacheBenchmarks(seconds: Int) {
    let count = max(1, seconds) * coldProofsPerSecond
    let proofs = MadeOnce { Prepared(coldProofs(count)) }
    let policy = SenderConstraintPolicy()
    Benchmark("DPoP proof ES256 cold key", configuration: .init(scalingFactor: .one, maxIterations: count - 10)) { benchmark in
        let sequence = proofs.get()
        guard let proof = sequence.next() else { throw BenchmarkExhausted(what: "proof") }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try DPoPProof.verify(proof, policy: policy))
        }
    }
}

/// `count` ES256 proofs, each signed by a fresh key.
private func coldProofs(_ count: Int) -> [String] {
    let fixture = DPoPFixture.fixture(.es256)
    return (0..<count).map { _ in
        do {
            let key = try SigningKey.generate(.es256)
            return try TestIssuer.dpopProof(method: DPoPFixture.method, url: DPoPFixture.uri, accessToken: fixture.token.raw, key: key, now: fixture.now)
        } catch {
            fatalError("minting a cold-key DPoP proof: \(error)")
        }
    }
}
