import Benchmark
import BenchmarkFixtures
import Foundation
import LayabAuth
import Synchronization

// Names: "DPoP proof <alg> LayabAuth" and "DPoP proof <alg> OpenSSL" (the proof's own signature, raw), paired by
// Benchmarks/Scripts/ratios.py like the "Verify" rows; "DPoP key <alg> jwk import" (the proof's key, imported
// as every proof verification does); "DPoP binding <alg> in-memory store"; "Replay …" for the stores alone. jwt-kit has no DPoP, so there is no peer row.

/// Requests of the binding benchmark: at most this many per second of `LAYABAUTH_BENCH_SECONDS` are measured,
/// each with a proof of its own (minted before the first measurement). A binding check costs more than one
/// proof verification, which is below 15,000 per second here.
private let proofsPerSecond = 15_000

/// The `jti`s of the in-memory store benchmark: every use is a first use, and the store never fills (no purge is
/// measured).
private let inMemoryUses = 400_000

/// Hands out one prepared value per call, in order: a fresh `jti` or proof for every measured operation.
final class Prepared<Value: Sendable>: Sendable {
    private let values: [Value]
    private let position = Mutex(0)

    init(_ values: [Value]) { self.values = values }

    var count: Int { values.count }

    /// The next value; nil once every value was handed out.
    func next() -> Value? {
        position.withLock { position in
            guard position < values.count else { return nil }
            defer { position += 1 }
            return values[position]
        }
    }
}

/// A value made when first asked for (inside a benchmark, before its measurement), then kept: what only one
/// benchmark needs is not made for every run of the suite.
final class MadeOnce<Value: Sendable>: Sendable {
    private let make: @Sendable () -> Value
    private let value = Mutex<Value?>(nil)

    init(_ make: @escaping @Sendable () -> Value) { self.make = make }

    func get() -> Value {
        value.withLock { value in
            if let value { return value }
            let made = make()
            value = made
            return made
        }
    }
}

struct BenchmarkExhausted: Error, CustomStringConvertible {
    let what: String
    var description: String { "the benchmark used every prepared \(what); raise its count" }
}

/// The raw OpenSSL verifications of each proof's signature (documented path, and contexts reused), made when
/// first used.
private let rawProofVerifiers: [Algorithm: RawVerifier] = Dictionary(uniqueKeysWithValues: DPoPFixture.algorithms.map {
    ($0, RawVerifier(DPoPFixture.fixture($0).proofSignature))
})
private let rawReusedProofVerifiers: [Algorithm: RawReusedVerifier] = Dictionary(uniqueKeysWithValues: DPoPFixture.algorithms.map {
    ($0, RawReusedVerifier(DPoPFixture.fixture($0).proofSignature))
})

func dpopBenchmarks(seconds: Int) {
    let onePerSample = Benchmark.Configuration(scalingFactor: .one)

    for algorithm in DPoPFixture.algorithms {
        let name = algorithm.rawValue

        Benchmark("DPoP proof \(name) LayabAuth", configuration: onePerSample) { benchmark in
            let fixture = DPoPFixture.fixture(algorithm)
            let proof = fixture.proof
            let policy = fixture.policy
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try DPoPProof.verify(proof, policy: policy))
            }
        }

        // The part of a proof's verification that a token's does not have: importing the key the proof carries.
        Benchmark("DPoP key \(name) jwk import", configuration: onePerSample) { benchmark in
            guard let jwk = try DecodedToken.decode(DPoPFixture.fixture(algorithm).proof).header["jwk"]?.objectValue else {
                fatalError("the \(name) proof has no jwk")
            }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try VerificationKey(jwk: jwk, origin: .remote))
            }
        }

        Benchmark("DPoP proof \(name) OpenSSL", configuration: onePerSample) { benchmark in
            guard let raw = rawProofVerifiers[algorithm] else { return }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                guard raw.verify() else { fatalError("raw OpenSSL refused the \(name) proof's signature") }
            }
        }

        Benchmark("DPoP proof \(name) OpenSSL-reused", configuration: onePerSample) { benchmark in
            guard let raw = rawReusedProofVerifiers[algorithm] else { return }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                guard raw.verify() else { fatalError("raw OpenSSL refused the \(name) proof's signature") }
            }
        }

        // One request's whole binding check: the proof read and verified, `cnf.jkt` against the key's
        // thumbprint, `htm`, `htu`, `iat`, `ath`, and the `jti` recorded in the default in-memory store.
        // The token itself is already verified (its cost is the "Verify ES256 LayabAuth" row).
        let count = max(1, seconds) * proofsPerSecond
        let proofs = MadeOnce { Prepared(DPoPFixture.fixture(algorithm).proofs(count)) }
        let policy = MadeOnce { SenderConstraintPolicy(replayStore: InMemoryDPoPReplayStore(capacity: count)) }
        Benchmark("DPoP binding \(name) in-memory store", configuration: .init(scalingFactor: .one, maxIterations: count - 10)) { benchmark in
            let fixture = DPoPFixture.fixture(algorithm)
            let sequence = proofs.get()
            let policy = policy.get()
            guard let proof = sequence.next() else { throw BenchmarkExhausted(what: "proof") }
            let presentation = DPoPFixture.presentation(proof)
            let token = fixture.token
            let now = fixture.now
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try await policy.verifyBinding(of: token, presentedAs: presentation, now: now))
            }
        }
    }

    // The default store alone: one `firstUse` of a new `jti` (a UUID, as clients make them) per operation.
    let jtis = MadeOnce { Prepared((0..<inMemoryUses).map { _ in UUID().uuidString }) }
    let inMemory = InMemoryDPoPReplayStore(capacity: inMemoryUses)
    Benchmark("Replay InMemoryDPoPReplayStore.firstUse", configuration: .init(scalingFactor: .kilo, maxIterations: inMemoryUses / 1000 - 5)) { benchmark in
        let sequence = jtis.get()
        let thumbprint = DPoPFixture.fixture(.es256).key.verificationKey.thumbprint
        let now = SystemClock.now()
        var batch: [String] = []
        batch.reserveCapacity(1000)
        for _ in benchmark.scaledIterations {
            guard let jti = sequence.next() else { throw BenchmarkExhausted(what: "jti") }
            batch.append(jti)
        }
        benchmark.startMeasurement()
        for jti in batch {
            blackHole(try await inMemory.firstUse(jti: jti, keyThumbprint: thumbprint, expiresAt: now + 60, now: now))
        }
    }

    postgresReplayBenchmarks(seconds: seconds)
}
