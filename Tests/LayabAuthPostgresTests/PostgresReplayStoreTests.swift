#if Postgres
import Foundation
import LayabAuth
import LayabAuthPostgres
import LayabAuthTesting
import PostgresNIO
import Testing

/// The replay store against a real PostgreSQL (Tests/IdP/postgres.sh): one server shared by the suite, a table
/// of its own for each test; the test of a database that goes down has a server of its own.
@Suite("DPoP replay store in PostgreSQL", .enabled(if: PostgresServer.shouldRun, "PostgreSQL is not installed and apt could not install it (make postgres)"))
struct PostgresReplayStoreTests {
    private static let sharedServer = Task { try await PostgresServer.start() }

    private static func server() async throws -> PostgresServer { try await sharedServer.value }

    /// The timeout of the stores whose test is not about timeouts: tables are made by many tests at once, and
    /// PostgreSQL serialises catalog changes, so a loaded machine takes seconds for each; a test waits rather than
    /// fails (the store's own timeout is tested with a database that is down).
    private static let patient: Double = 120

    /// A table name no other test uses.
    private static func freshTable() -> String {
        "replay_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    private static func rowCount(_ client: PostgresClient, _ table: String) async throws -> Int {
        var count = 0
        for try await (value) in try await client.query("SELECT count(*)::bigint FROM \(unescaped: table)").decode(Int64.self) {
            count = Int(value)
        }
        return count
    }

    @Test("the first use of a proof is accepted, the replay refused; the table is made by the store")
    func firstUseThenReplay() async throws {
        let server = try await Self.server()
        try await server.withClient { client in
            let store = try PostgresReplayStore(client: client, table: Self.freshTable(), timeout: Self.patient)
            #expect(try await store.firstUse(jti: "j1", keyThumbprint: "k1", expiresAt: 1_000, now: 900) == true)
            #expect(try await store.firstUse(jti: "j1", keyThumbprint: "k1", expiresAt: 1_000, now: 901) == false)
            #expect(try await store.firstUse(jti: "j1", keyThumbprint: "k1", expiresAt: 1_005, now: 999) == false, "a replay with a later window")
            #expect(try await Self.rowCount(client, store.table) == 1)
        }
    }

    @Test("an expired record may be used again, and is then live again")
    func expiredRecordReused() async throws {
        let server = try await Self.server()
        try await server.withClient { client in
            let store = try PostgresReplayStore(client: client, table: Self.freshTable(), timeout: Self.patient)
            #expect(try await store.firstUse(jti: "j", keyThumbprint: "k", expiresAt: 100, now: 50) == true)
            #expect(try await store.firstUse(jti: "j", keyThumbprint: "k", expiresAt: 100, now: 99.5) == false, "still live")
            #expect(try await store.firstUse(jti: "j", keyThumbprint: "k", expiresAt: 200, now: 100) == true, "expired at 100")
            #expect(try await store.firstUse(jti: "j", keyThumbprint: "k", expiresAt: 200, now: 150) == false, "live again until 200")
        }
    }

    @Test("the same jti from two keys is no collision")
    func sameJTIOtherKey() async throws {
        let server = try await Self.server()
        try await server.withClient { client in
            let store = try PostgresReplayStore(client: client, table: Self.freshTable(), timeout: Self.patient)
            #expect(try await store.firstUse(jti: "shared", keyThumbprint: "alice", expiresAt: 1_000, now: 900) == true)
            #expect(try await store.firstUse(jti: "shared", keyThumbprint: "bob", expiresAt: 1_000, now: 900) == true)
            #expect(try await store.firstUse(jti: "shared", keyThumbprint: "alice", expiresAt: 1_000, now: 901) == false)
            #expect(try await store.firstUse(jti: "shared", keyThumbprint: "bob", expiresAt: 1_000, now: 901) == false)
        }
    }

    @Test("two API instances (two clients, two stores) share the database: a proof used on one is refused on the other")
    func twoInstances() async throws {
        let server = try await Self.server()
        let table = Self.freshTable()
        try await server.withClient { first in
            try await server.withClient { second in
                let instanceA = try PostgresReplayStore(client: first, table: table, timeout: Self.patient)
                let instanceB = try PostgresReplayStore(client: second, table: table, timeout: Self.patient)
                #expect(try await instanceA.firstUse(jti: "p1", keyThumbprint: "k", expiresAt: 1_000, now: 900) == true)
                #expect(try await instanceB.firstUse(jti: "p1", keyThumbprint: "k", expiresAt: 1_000, now: 900.5) == false)
                #expect(try await instanceB.firstUse(jti: "p2", keyThumbprint: "k", expiresAt: 1_000, now: 901) == true)
                #expect(try await instanceA.firstUse(jti: "p2", keyThumbprint: "k", expiresAt: 1_000, now: 901.5) == false)
            }
        }
    }

    @Test("concurrent first uses of one jti from two instances: exactly one is accepted")
    func concurrentFirstUses() async throws {
        let server = try await Self.server()
        let table = Self.freshTable()
        try await server.withClient { first in
            try await server.withClient { second in
                let stores = [try PostgresReplayStore(client: first, table: table, timeout: Self.patient), try PostgresReplayStore(client: second, table: table, timeout: Self.patient)]
                try await stores[0].createTable()
                for round in 0..<25 {
                    let accepted = try await withThrowingTaskGroup(of: Bool.self) { group in
                        for store in stores + stores {
                            group.addTask { try await store.firstUse(jti: "race-\(round)", keyThumbprint: "k", expiresAt: 1_000, now: 900) }
                        }
                        return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                    }
                    #expect(accepted == 1, "round \(round): \(accepted) of 4 concurrent uses accepted")
                }
            }
        }
    }

    @Test("a database that is down: the use throws replay_store_unavailable (503), within the timeout")
    func databaseDown() async throws {
        let server = try await PostgresServer.start()
        let client = PostgresClient(configuration: server.configuration)
        try await PostgresServer.withRunning(client) { client in
            // The timeout is what ends the wait once the server is gone; generous, so that a loaded machine's slow
            // start (the table is created on the first use) is not mistaken for it.
            let store = try PostgresReplayStore(client: client, table: Self.freshTable(), timeout: 15)
            #expect(try await store.firstUse(jti: "before", keyThumbprint: "k", expiresAt: 1_000, now: 900) == true)
            await server.stop()
            let error = await #expect(throws: LayabAuthError.self) {
                try await store.firstUse(jti: "after", keyThumbprint: "k", expiresAt: 1_000, now: 901)
            }
            #expect(error?.code == .replayStoreUnavailable)
            #expect(error?.httpStatus == 503)
            #expect(error?.message.contains("could not record a DPoP proof in PostgreSQL: no answer within 15.0 s") == true, "\(String(describing: error))")
            #expect(error?.message.contains("PostgreSQL") == true, "\(String(describing: error))")
            #expect(error?.message.contains("after") == false, "the message names no value of the query")
        }
    }

    @Test("a database that was never there: the first use throws replay_store_unavailable")
    func databaseNeverThere() async throws {
        // A port that was free a moment ago, with nothing listening on it.
        let server = try await PostgresServer.start()
        let configuration = server.configuration
        await server.stop()
        let logs = LogRecorder()
        let error = try await PostgresServer.withRunning(PostgresClient(configuration: configuration)) { client in
            let store = try PostgresReplayStore(client: client, table: Self.freshTable(), timeout: 2, logger: logs.logger())
            return await #expect(throws: LayabAuthError.self) {
                try await store.firstUse(jti: "secret-jti", keyThumbprint: "k", expiresAt: 1_000, now: 900)
            }
        }
        #expect(error?.code == .replayStoreUnavailable)
        #expect(error?.message.contains("could not create the table") == true, "\(String(describing: error))")
        // The operator sees the failure in the log, at warning; never the proof's jti.
        let warning = try #require(logs.entries.first { $0.level == .warning }, "\(logs.entries)")
        #expect(warning.message.hasPrefix("DPoP replay store unavailable: the DPoP replay store could not create the table"))
        #expect(logs.entries.allSatisfy { !$0.description.contains("secret-jti") })
    }

    @Test("PostgreSQL refusing the statement (a table of another shape): replay_store_unavailable with the server's message")
    func serverError() async throws {
        let server = try await Self.server()
        try await server.withClient { client in
            let table = Self.freshTable()
            try await client.query("CREATE TABLE \(unescaped: table) (something integer)")
            let store = try PostgresReplayStore(client: client, table: table, timeout: Self.patient)
            let error = await #expect(throws: LayabAuthError.self) {
                try await store.firstUse(jti: "j", keyThumbprint: "k", expiresAt: 1_000, now: 900)
            }
            #expect(error?.code == .replayStoreUnavailable)
            #expect(error?.message.contains("(SQLSTATE 42703)") == true, "undefined column: \(String(describing: error))")
        }
    }

    @Test("purge removes expired rows only, a bounded batch at a time")
    func purge() async throws {
        let server = try await Self.server()
        try await server.withClient { client in
            let store = try PostgresReplayStore(client: client, table: Self.freshTable(), purgeInterval: 1_000_000, purgeBatchSize: 2, timeout: Self.patient)
            for index in 0..<3 {
                #expect(try await store.firstUse(jti: "old-\(index)", keyThumbprint: "k", expiresAt: 100, now: 50) == true)
            }
            #expect(try await store.firstUse(jti: "live", keyThumbprint: "k", expiresAt: 1_000, now: 50) == true)
            #expect(try await store.purgeExpired(now: 500) == 2)
            #expect(try await store.purgeExpired(now: 500) == 1)
            #expect(try await store.purgeExpired(now: 500) == 0)
            #expect(try await Self.rowCount(client, store.table) == 1)
            #expect(try await store.firstUse(jti: "live", keyThumbprint: "k", expiresAt: 1_000, now: 500) == false, "the live row is kept")
        }
    }

    @Test("expired rows are purged in the background by the uses themselves")
    func backgroundPurge() async throws {
        let server = try await Self.server()
        try await server.withClient { client in
            let logs = LogRecorder()
            let store = try PostgresReplayStore(client: client, table: Self.freshTable(), purgeInterval: 10, timeout: Self.patient, logger: logs.logger())
            // The first use starts the clock: the first purge is due at 60.
            #expect(try await store.firstUse(jti: "a", keyThumbprint: "k", expiresAt: 100, now: 50) == true)
            #expect(try await store.firstUse(jti: "b", keyThumbprint: "k", expiresAt: 100, now: 55) == true)
            #expect(try await Self.rowCount(client, store.table) == 2)
            #expect(try await store.firstUse(jti: "c", keyThumbprint: "k", expiresAt: 1_000, now: 150) == true)
            var rows = try await Self.rowCount(client, store.table)
            for _ in 0..<100 where rows != 1 {
                try await Task.sleep(for: .milliseconds(50))
                rows = try await Self.rowCount(client, store.table)
            }
            #expect(rows == 1, "the expired rows a and b are gone, c is kept")
            for _ in 0..<100 where !logs.entries.contains(where: { $0.message == "DPoP replay store purged 2 expired proofs" }) {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(logs.entries.contains { $0.level == .debug && $0.message == "DPoP replay store purged 2 expired proofs" }, "\(logs.entries)")
        }
    }

    @Test("a table name that is not a plain identifier is refused", arguments: ["", "t; DROP TABLE x", "Replay", "9lives", "a.b", String(repeating: "a", count: 64)])
    func badTableName(_ name: String) async throws {
        let client = PostgresClient(configuration: .init(host: "127.0.0.1", username: "u", password: nil, database: nil, tls: .disable))
        #expect(throws: LayabAuthError.self) { try PostgresReplayStore(client: client, table: name) }
    }
}
#endif
