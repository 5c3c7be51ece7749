#if Postgres
import LayabAuth
import Logging
import PostgresNIO
import Synchronization

/// A `DPoPReplayStore` in a PostgreSQL table, shared by every instance of an API behind a load balancer: a proof
/// used on one instance is refused on all the others (RFC 9449 §11.1).
///
/// The store runs its queries through a `PostgresClient` the application owns and runs (`client.run()`, in a
/// task or a service group); it never closes it. It makes its table when first used (or at ``createTable()``),
/// records each use in one round trip, and purges expired rows now and then in the background, a bounded batch
/// at a time, never in the path of a request. Whenever PostgreSQL cannot answer, ``firstUse(jti:keyThumbprint:expiresAt:now:)``
/// throws `replay_store_unavailable` (503): the proof is refused, never accepted unchecked.
///
/// ```swift
/// let client = PostgresClient(configuration: .init(host: "db", username: "api", password: password,
///                                                  database: "api", tls: .prefer(.makeClientConfiguration())))
/// let replayStore = try PostgresReplayStore(client: client)
/// async let _ = client.run()
/// ```
public final class PostgresReplayStore: DPoPReplayStore {
    /// The table the store keeps its records in when none is named.
    public static let defaultTable = "layabauth_dpop_replay"

    public let client: PostgresClient
    /// The table's name (a plain lower-case SQL identifier).
    public let table: String
    /// Seconds between two purges of expired rows.
    public let purgeInterval: Double
    /// The most rows one purge statement deletes.
    public let purgeBatchSize: Int
    /// Seconds a use waits for PostgreSQL before the request is refused as unverifiable.
    public let timeout: Double
    /// Where failures (warning) and background purges (debug) are logged.
    public let logger: Logger

    private struct State {
        var tableCreation: Task<Void, any Error>?
        var lastPurge: Double?
        var purging = false
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - client: a client the application runs (`client.run()`) for as long as the store is used.
    ///   - table: the table to use, made when absent; letters, digits and `_`, starting with a letter or `_`.
    ///   - purgeInterval: seconds between background purges of expired rows.
    ///   - purgeBatchSize: the most rows deleted by one purge statement.
    ///   - timeout: seconds a use waits for PostgreSQL before it fails with `replay_store_unavailable`.
    ///   - logger: where failures and purges are logged (never a `jti` or a key).
    /// - Throws: `invalid_configuration` for a table name that is not a plain identifier, or a bound that is not
    ///   a positive finite number.
    public init(client: PostgresClient, table: String = PostgresReplayStore.defaultTable, purgeInterval: Double = 60,
                purgeBatchSize: Int = 1000, timeout: Double = 5, logger: Logger = Logger(label: "layabauth")) throws(LayabAuthError)
    {
        guard Self.isPlainIdentifier(table) else {
            throw LayabAuthError(.invalidConfiguration,
                                 "the replay table name \"\(table.prefix(80))\" is not a plain SQL identifier (a-z, 0-9, _, at most 63 characters, not starting with a digit)")
        }
        guard purgeInterval.isFinite, purgeInterval > 0, timeout.isFinite, timeout > 0, purgeBatchSize > 0 else {
            throw LayabAuthError(.invalidConfiguration,
                                 "the replay store needs a positive purge interval, batch size and timeout (got \(purgeInterval) s, \(purgeBatchSize) rows, \(timeout) s)")
        }
        self.client = client
        self.table = table
        self.purgeInterval = purgeInterval
        self.purgeBatchSize = purgeBatchSize
        self.timeout = timeout
        self.logger = logger
    }

    /// Records the use of a proof with one statement: a new record is inserted, an expired one for the same key
    /// and `jti` is taken over, a live one is left as it is and the use is a replay.
    public func firstUse(jti: String, keyThumbprint: String, expiresAt: Double, now: Double) async throws(LayabAuthError) -> Bool {
        try await ensureTable()
        let query: PostgresQuery = """
            INSERT INTO \(unescaped: table) (key_thumbprint, jti, expires_at) VALUES (\(keyThumbprint), \(jti), \(expiresAt))
            ON CONFLICT (key_thumbprint, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at
            WHERE \(unescaped: table).expires_at <= \(now)
            RETURNING 1
            """
        let recorded = try await run("record a DPoP proof") { client in
            var rows = 0
            for try await _ in try await client.query(query) { rows += 1 }
            return rows
        }
        purgeIfDue(now: now)
        return recorded == 1
    }

    /// Makes the table and its index when absent. Called by the first use; call it at start-up to find a
    /// misconfigured database before the first request does.
    public func createTable() async throws(LayabAuthError) {
        try await ensureTable()
    }

    /// Deletes expired rows, at most ``purgeBatchSize`` of them. The store calls it in the background every
    /// ``purgeInterval`` seconds; an application may call it from a job of its own.
    /// - Returns: the number of rows deleted.
    @discardableResult
    public func purgeExpired(now: Double) async throws(LayabAuthError) -> Int {
        try await ensureTable()
        let query: PostgresQuery = """
            DELETE FROM \(unescaped: table) WHERE ctid IN (
                SELECT ctid FROM \(unescaped: table) WHERE expires_at <= \(now) LIMIT \(purgeBatchSize))
            RETURNING 1
            """
        return try await run("purge expired DPoP proofs") { client in
            var rows = 0
            for try await _ in try await client.query(query) { rows += 1 }
            return rows
        }
    }

    // MARK: - Private

    private func ensureTable() async throws(LayabAuthError) {
        let task = state.withLock { state in
            if let running = state.tableCreation { return running }
            let created = Task { [client, table, timeout] in
                try await Self.withTimeout(timeout) {
                    try await client.query("""
                        CREATE TABLE IF NOT EXISTS \(unescaped: table) (
                            key_thumbprint text NOT NULL,
                            jti text NOT NULL,
                            expires_at double precision NOT NULL,
                            PRIMARY KEY (key_thumbprint, jti))
                        """)
                    try await client.query("CREATE INDEX IF NOT EXISTS \(unescaped: table)_expires_at ON \(unescaped: table) (expires_at)")
                }
            }
            state.tableCreation = created
            return created
        }
        do {
            try await task.value
        } catch {
            // Tried again by the next use: the database may be back by then.
            state.withLock { state in
                if state.tableCreation == task { state.tableCreation = nil }
            }
            throw logged(Self.unavailable("create the table \(table)", error))
        }
    }

    /// Starts a purge in the background when the last one (or the first use) is ``purgeInterval`` seconds old and
    /// none is running.
    private func purgeIfDue(now: Double) {
        let due = state.withLock { state in
            // The first use starts the clock: a store that has just started has had no time to see a proof expire.
            guard let last = state.lastPurge else {
                state.lastPurge = now
                return false
            }
            guard !state.purging, now - last >= purgeInterval else { return false }
            state.purging = true
            state.lastPurge = now
            return true
        }
        guard due else { return }
        Task.detached { [self] in
            // A failed purge is tried again at the next interval; the rows it left are only kept longer.
            do {
                let deleted = try await purgeExpired(now: now)
                logger.debug("DPoP replay store purged \(deleted) expired proofs", metadata: ["dpop.store.table": .string(table)])
            } catch {
                // Logged by `run`; the rows are only kept longer.
            }
            state.withLock { $0.purging = false }
        }
    }

    private func run<Result: Sendable>(_ action: String, _ body: @escaping @Sendable (PostgresClient) async throws -> Result)
        async throws(LayabAuthError) -> Result
    {
        do {
            return try await Self.withTimeout(timeout) { [client] in try await body(client) }
        } catch {
            throw logged(Self.unavailable(action, error))
        }
    }

    /// Logs a failure of the store at warning: requests are being refused with 503 while it lasts.
    private func logged(_ error: LayabAuthError) -> LayabAuthError {
        logger.warning("DPoP replay store unavailable: \(error.message)", metadata: ["dpop.store.table": .string(table)])
        return error
    }

    private struct TimedOut: Error, CustomStringConvertible {
        let seconds: Double
        var description: String { "no answer within \(seconds) s (the server is down, unreachable or overloaded)" }
    }

    private static func withTimeout<Result: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> Result)
        async throws -> Result
    {
        try await withThrowingTaskGroup(of: Result.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                throw TimedOut(seconds: seconds)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw TimedOut(seconds: seconds) }
            return first
        }
    }

    /// The error a request is refused with, saying what failed: PostgreSQL's own message where it sent one.
    /// Never the query's values or the connection's credentials.
    private static func unavailable(_ action: String, _ error: any Error) -> LayabAuthError {
        let cause: String
        if let error = error as? PSQLError {
            let server = error.serverInfo.flatMap { info in info[.sqlState].map { "\(info[.message] ?? "") (SQLSTATE \($0))" } }
            let underlying = error.underlying.map { String(describing: $0) }
            cause = server ?? underlying ?? error.code.description
        } else {
            cause = String(describing: error)
        }
        return LayabAuthError(.replayStoreUnavailable, "the DPoP replay store could not \(action) in PostgreSQL: \(cause)",
                              clientMessage: "the proof cannot be checked for replay at the moment")
    }

    private static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }
}
#endif
