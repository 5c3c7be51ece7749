#if Postgres
import Foundation
import LayabAuth
import LayabAuthPostgres
import Synchronization
import Testing

/// What a request pays for replay protection across instances: the median time of `firstUse` in PostgreSQL on
/// 127.0.0.1 (a debug build, a server tuned for tests: no fsync), next to a dictionary behind a lock, the least an
/// in-memory store can cost. Printed, labelled, for the README and the issue; the assertions only keep the numbers
/// honest (every use a first use, the database slower than memory).
@Suite("Cost of the PostgreSQL replay store per request", .serialized,
       .enabled(if: PostgresServer.shouldRun, "PostgreSQL is not installed and apt could not install it (make postgres)"))
struct PostgresReplayStoreCostTests {
    /// A dictionary behind a mutex: the floor of an in-memory store, not LayabAuth's own.
    final class DictionaryStore: DPoPReplayStore {
        private let seen = Mutex<[String: Double]>([:])

        func firstUse(jti: String, keyThumbprint: String, expiresAt: Double, now: Double) async throws(LayabAuthError) -> Bool {
            seen.withLock { seen in
                let key = keyThumbprint + " " + jti
                if let expiry = seen[key], expiry > now { return false }
                seen[key] = expiresAt
                return true
            }
        }
    }

    static let uses = 2_000

    /// Median and 99th percentile in microseconds of `uses` sequential first uses.
    static func measure(_ store: some DPoPReplayStore) async throws -> (median: Double, p99: Double, accepted: Int) {
        var samples: [Double] = []
        samples.reserveCapacity(uses)
        var accepted = 0
        let clock = ContinuousClock()
        let now = Date().timeIntervalSince1970
        for index in 0..<uses {
            let jti = UUID().uuidString
            let began = clock.now
            let first = try await store.firstUse(jti: jti, keyThumbprint: "thumbprint-\(index % 7)", expiresAt: now + 300, now: now)
            let elapsed = clock.now - began
            samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
            if first { accepted += 1 }
        }
        samples.sort()
        return (samples[samples.count / 2], samples[samples.count * 99 / 100], accepted)
    }

    @Test("median firstUse: PostgreSQL on 127.0.0.1 against a dictionary in memory")
    func costPerRequest() async throws {
        let memory = try await Self.measure(DictionaryStore())
        let server = try await PostgresServer.start()
        let database: (median: Double, p99: Double, accepted: Int)
        do {
            database = try await server.withClient { client in
                let store = try PostgresReplayStore(client: client)
                try await store.createTable()
                _ = try await Self.measure(store) // warm-up: connections, plans, table pages
                return try await Self.measure(store)
            }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        let line = { (name: String, result: (median: Double, p99: Double, accepted: Int)) in
            "  \(name): median \(String(format: "%.1f", result.median)) µs, p99 \(String(format: "%.1f", result.p99)) µs"
        }
        print("""
            replay store cost per request (\(Self.uses) sequential first uses each, debug build):
            \(line("in-memory dictionary (floor)", memory))
            \(line("PostgresReplayStore, 127.0.0.1", database))
            """)
        #expect(memory.accepted == Self.uses)
        #expect(database.accepted == Self.uses)
        #expect(database.median > memory.median)
    }
}
#endif
