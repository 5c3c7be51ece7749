import Benchmark
import BenchmarkFixtures
import Foundation
import LayabAuth
import LayabAuthPostgres
import PostgresNIO
import Synchronization

/// The environment variable naming the PostgreSQL server of the replay store benchmarks:
/// `postgres://USER[:PASSWORD]@HOST:PORT/DATABASE` (no TLS). `Tests/IdP/postgres.sh start DIR` starts one on
/// 127.0.0.1 and prints what to put here.
let postgresURLVariable = "LAYABAUTH_BENCH_POSTGRES_URL"

/// Uses of the PostgreSQL store prepared per second of `LAYABAUTH_BENCH_SECONDS`: one round trip each, far
/// fewer than this fit in a second.
private let postgresUsesPerSecond = 20_000

/// `PostgresReplayStore.firstUse` (one `INSERT … ON CONFLICT … RETURNING` per use, a new `jti` each time) beside
/// the floor under any query: `SELECT 1` over the same client. Registered only when ``postgresURLVariable`` is set.
func postgresReplayBenchmarks(seconds: Int) {
    guard let url = ProcessInfo.processInfo.environment[postgresURLVariable], !url.isEmpty else {
        FileHandle.standardError.write(Data("PostgreSQL replay store benchmarks skipped: \(postgresURLVariable) is not set (see docs/performance.md)\n".utf8))
        return
    }
    let configuration: PostgresClient.Configuration
    do {
        configuration = try postgresConfiguration(url)
    } catch {
        FileHandle.standardError.write(Data("PostgreSQL replay store benchmarks skipped: \(error)\n".utf8))
        return
    }
    let client = PostgresClient(configuration: configuration)
    Task { await client.run() }
    let store: PostgresReplayStore
    do {
        // A table of its own, so that a benchmark never meets the rows of the tests.
        store = try PostgresReplayStore(client: client, table: "layabauth_bench_dpop_replay")
    } catch {
        FileHandle.standardError.write(Data("PostgreSQL replay store benchmarks skipped: \(error)\n".utf8))
        return
    }

    let uses = max(1, seconds) * postgresUsesPerSecond
    // The rows stay in the table until they expire: the `jti`s carry this run's own prefix.
    let run = UUID().uuidString
    let jtis = Prepared((0..<uses).map { "\(run)-\($0)" })
    let thumbprint = DPoPFixture.fixture(.es256).key.verificationKey.thumbprint
    let onePerSample = Benchmark.Configuration(scalingFactor: .one, maxIterations: uses - 10)

    Benchmark("Replay PostgresReplayStore.firstUse", configuration: onePerSample) { benchmark in
        try await store.createTable()
        guard let jti = jtis.next() else { throw BenchmarkExhausted(what: "jti") }
        let now = SystemClock.now()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            guard try await store.firstUse(jti: jti, keyThumbprint: thumbprint, expiresAt: now + 60, now: now) else {
                throw UnexpectedReplay(jti: jti)
            }
        }
    }

    Benchmark("Replay PostgreSQL SELECT 1", configuration: onePerSample) { benchmark in
        for _ in benchmark.scaledIterations {
            for try await row in try await client.query("SELECT 1") { blackHole(row) }
        }
    }
}

struct UnexpectedReplay: Error, CustomStringConvertible {
    let jti: String
    var description: String { "the PostgreSQL store refused the new jti \(jti) as a replay" }
}

struct InvalidPostgresURL: Error, CustomStringConvertible {
    let reason: String
    var description: String { "\(postgresURLVariable): \(reason); expected postgres://USER[:PASSWORD]@HOST:PORT/DATABASE" }
}

private func postgresConfiguration(_ text: String) throws -> PostgresClient.Configuration {
    guard let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql" else {
        throw InvalidPostgresURL(reason: "not a postgres:// URL")
    }
    guard let host = url.host, !host.isEmpty else { throw InvalidPostgresURL(reason: "no host") }
    guard let user = url.user, !user.isEmpty else { throw InvalidPostgresURL(reason: "no user") }
    let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
    return .init(host: host, port: url.port ?? 5432, username: user, password: url.password,
                 database: database.isEmpty ? nil : database, tls: .disable)
}
