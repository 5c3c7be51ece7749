#if Postgres
import Foundation
import PostgresNIO
import TestSupport

/// A real PostgreSQL for the tests: a private cluster started by `Tests/IdP/postgres.sh` on 127.0.0.1 on a free
/// port, in a temporary directory, removed by ``stop()``. Should the test process end first, the server stops by
/// itself within a second.
final class PostgresServer: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Why PostgreSQL cannot run here, or nil when it can. Under CI=true the tests run anyway and fail, so that a
    /// missing server never passes for a green run.
    static let unavailableReason: String? = {
        let installed = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?
            .contains { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb") } ?? false
        return installed ? nil : "PostgreSQL is not installed and apt could not install it (make postgres)"
    }()

    static var shouldRun: Bool {
        unavailableReason == nil || ["true", "1"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "")
    }

    let port: Int
    let user: String
    let database: String
    private let directory: String

    static func start() async throws -> PostgresServer {
        if let reason = unavailableReason { throw Failure(description: reason) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("postgres-\(UUID().uuidString)").path
        let started = try await Subprocess.run(script, ["start", directory, String(getpid())], timeout: 60)
        let values = Dictionary(started.outputLines.compactMap { line -> (String, String)? in
            guard let equals = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<equals]), String(line[line.index(after: equals)...]))
        }, uniquingKeysWith: { $1 })
        guard started.status == 0, let port = values["POSTGRES_PORT"].flatMap(Int.init), let user = values["POSTGRES_USER"],
              let database = values["POSTGRES_DATABASE"]
        else {
            _ = try? await Subprocess.run(script, ["stop", directory], timeout: 30)
            try? FileManager.default.removeItem(atPath: directory)
            throw Failure(description: "Tests/IdP/postgres.sh start failed: \(started)")
        }
        return PostgresServer(port: port, user: user, database: database, directory: directory)
    }

    private init(port: Int, user: String, database: String, directory: String) {
        self.port = port
        self.user = user
        self.database = database
        self.directory = directory
    }

    /// Stops the server and removes its directory.
    func stop() async {
        _ = try? await Subprocess.run(Self.script, ["stop", directory], timeout: 30)
        try? FileManager.default.removeItem(atPath: directory)
    }

    var configuration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(host: "127.0.0.1", port: port, username: user, password: nil,
                                                         database: database, tls: .disable)
        configuration.options.connectTimeout = .seconds(2)
        return configuration
    }

    /// Runs `body` with a new client of this server, running for the time of `body` (as an application runs it).
    func withClient<Result: Sendable>(_ body: (PostgresClient) async throws -> Result) async throws -> Result {
        try await Self.withRunning(PostgresClient(configuration: configuration), body)
    }

    static func withRunning<Result: Sendable>(_ client: PostgresClient, _ body: (PostgresClient) async throws -> Result)
        async throws -> Result
    {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    private static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("IdP/postgres.sh").path
    }
}
#endif
