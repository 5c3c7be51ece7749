import Foundation
import LayabAuthTesting

/// A server binary started for a test and stopped (SIGINT) when this value goes away.
public final class ExampleProcess {
    public let process: ChildProcess
    public let port: Int
    /// Where the server's standard output and error go, read by ``output``.
    private let logURL = FileManager.default.temporaryDirectory.appendingPathComponent("layabauth-example-\(UUID().uuidString).log")

    /// Starts `executable` (a file next to the running test bundle when `name` is given without a
    /// slash) with `arguments` plus `--port <free port>` (and `--log-level debug` unless `arguments` set a
    /// level), and waits until it listens.
    public init(_ name: String, arguments: [String], timeout: Double = 60) throws {
        let url: URL
        if name.contains("/") {
            url = URL(fileURLWithPath: name)
        } else {
            url = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name)
        }
        port = try TestHTTPClient.freePort()
        guard FileManager.default.createFile(atPath: logURL.path, contents: nil) else {
            throw TestHTTPClient.Failure(description: "cannot create the log file \(logURL.path) of \(name)")
        }
        // At debug, so that every line the app can log is in what `make check` scans for secrets.
        let logLevel = arguments.contains("--log-level") ? [] : ["--log-level", "debug"]
        process = try ChildProcess(executable: url.path, arguments: arguments + logLevel + ["--port", String(port)], output: .file(logURL.path))
        guard TestHTTPClient.waitUntilListening(port: port, timeout: timeout) else {
            process.stop(signal: SIGTERM)
            throw TestHTTPClient.Failure(description: "\(name) did not listen on port \(port) within \(timeout) s")
        }
    }

    public func get(_ path: String, authorization: String? = nil) throws -> TestHTTPClient.Response {
        try TestHTTPClient.get(port: port, path: path, headers: authorization.map { [("Authorization", $0)] } ?? [])
    }

    /// What the server has written so far on standard output and standard error (its log).
    public var output: String {
        String(decoding: (try? Data(contentsOf: logURL)) ?? Data(), as: UTF8.self)
    }

    deinit {
        process.stop(signal: SIGINT)
        // `make check` keeps every example app's log, to scan each line for tokens and secrets
        // (Tests/LogHygiene/scan.py).
        if let directory = ProcessInfo.processInfo.environment["LAYABAUTH_TEST_LOG_DIR"] {
            let kept = URL(fileURLWithPath: directory).appendingPathComponent(logURL.lastPathComponent)
            if (try? FileManager.default.moveItem(at: logURL, to: kept)) != nil { return }
        }
        try? FileManager.default.removeItem(at: logURL)
    }
}
