import Benchmark
import BenchmarkFixtures
import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting

/// Cold introspections per second of `LAYABAUTH_BENCH_SECONDS`: each a new token, one HTTP round trip each.
private let coldTokensPerSecond = 5_000

/// `IntrospectionVerifier.verify` with a warm cache (the same opaque token again, as a client sends it with every
/// request: beside "Cache hit JWKSVerifier.verify RS256") and a cold one (a new token each time: one POST to a
/// loopback endpoint, LayabAuthTesting's TestHTTPServer, which answers every token active).
func introspectionBenchmarks(seconds: Int) {
    let answer = #"{"active":true,"sub":"alice","scope":"read:orders","exp":\#(Int(Date().timeIntervalSince1970) + 3600)}"#
    let server: TestHTTPServer
    let verifier: IntrospectionVerifier
    do {
        server = try TestHTTPServer { _ in .json(answer) }
        verifier = try IntrospectionVerifier(endpoint: .url(server.url("/introspect")), clientID: "api", authentication: .basic(secret: "bench-secret"),
                                             cache: try IntrospectionCache(capacity: 100_000, activeLifetime: 3600))
    } catch {
        fatalError("the introspection benchmarks' endpoint: \(error)")
    }

    Benchmark("Introspection warm cache IntrospectionVerifier.verify") { benchmark in
        let token = "opaque-warm-0123456789abcdef0123456789abcdef"
        _ = try await verifier.verify(token)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await verifier.verify(token))
        }
    }

    let count = max(1, seconds) * coldTokensPerSecond
    let tokens = MadeOnce { Prepared((0..<count).map { "opaque-cold-\($0)-\(UUID().uuidString)" }) }
    Benchmark("Introspection cold loopback IntrospectionVerifier.verify", configuration: .init(scalingFactor: .one, maxIterations: count - 10)) { benchmark in
        let sequence = tokens.get()
        guard let token = sequence.next() else { throw BenchmarkExhausted(what: "token") }
        server.resetCounts()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await verifier.verify(token))
        }
    }
}
