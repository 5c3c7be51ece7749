import Benchmark
import BenchmarkFixtures
import JWTKit
import LayabAuth

// Names follow "<what> <algorithm> <who>" so that Benchmarks/Scripts/ratios.py can pair them:
//   "Verify RS256 LayabAuth", "Verify RS256 OpenSSL", "Verify RS256 jwt-kit".
// Every benchmark of one run uses the same keys and tokens (Fixtures), and ratios are only ever taken
// between benchmarks of the same run.

let benchmarks: @Sendable () -> Void = {
    let seconds = Int(environmentValue("LAYABAUTH_BENCH_SECONDS") ?? "") ?? 1
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 2,
        scalingFactor: .kilo,
        maxDuration: .seconds(seconds),
        maxIterations: 1_000_000
    )

    for algorithm in Fixtures.algorithms {
        let fixture = Fixtures.fixture(algorithm)
        // Public-key verifications take tens of microseconds or more: one per sample gives enough samples
        // within the time limit. HMAC is measured a thousand at a time (Scripts/ratios.py knows which is which).
        let configuration = Benchmark.Configuration(scalingFactor: algorithm == .hs256 ? .kilo : .one)

        Benchmark("Verify \(fixture.name) LayabAuth", configuration: configuration) { benchmark in
            let verifier = fixture.verifier
            let token = fixture.token
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try verifier.verify(token))
            }
        }

        let raw = RawVerifier(fixture)
        Benchmark("Verify \(fixture.name) OpenSSL", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                guard raw.verify() else { fatalError("raw \(raw.name) refused the signature") }
            }
        }

        let reused = RawReusedVerifier(fixture)
        Benchmark("Verify \(fixture.name) OpenSSL-reused", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                guard reused.verify() else { fatalError("raw \(reused.name) refused the signature") }
            }
        }

        Benchmark("Verify \(fixture.name) jwt-kit", configuration: configuration) { benchmark in
            let keys = try await JWTKitPeer.keys(for: fixture)
            let token = fixture.token
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try await keys.verify(token, as: PeerPayload.self))
            }
        }
    }

    let rs256 = Fixtures.fixture(.rs256)

    Benchmark("Parse DecodedToken.decode") { benchmark in
        let token = rs256.token
        for _ in benchmark.scaledIterations {
            blackHole(try DecodedToken.decode(token))
        }
    }

    Benchmark("Import KeySet(jwksJSON:) 5 keys", configuration: .init(scalingFactor: .one)) { benchmark in
        let jwks = Fixtures.jwksJSON
        for _ in benchmark.scaledIterations {
            blackHole(try KeySet(jwksJSON: jwks))
        }
    }

    Benchmark("Extract BearerCredential.extract") { benchmark in
        let header = Fixtures.authorizationHeader
        for _ in benchmark.scaledIterations {
            blackHole(try BearerCredential.extract(fromAuthorization: header))
        }
    }

    cacheBenchmarks()
    observabilityBenchmarks()
    dpopBenchmarks(seconds: seconds)
    dpopKeyCacheBenchmarks(seconds: seconds)
    introspectionBenchmarks(seconds: seconds)
    issuerSelectionBenchmarks()
}

private func environmentValue(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
