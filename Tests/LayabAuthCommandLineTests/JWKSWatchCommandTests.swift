import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Synchronization
import TestSupport
import Testing

/// `layabauth jwks --watch`: the real binary against a loopback JWKS endpoint, its first lines read, then
/// interrupted.
@Suite("layabauth jwks --watch", .fewAtATime)
struct JWKSWatchCommandTests {
    /// A JWKS endpoint whose n-th answer is the n-th of `sets` (the last one repeats), or always `failure`.
    final class Endpoint: Sendable {
        let server: TestHTTPServer
        private let served = Mutex(0)

        init(sets: [[SigningKey]]) throws {
            let documents = sets.map { KeySet(keys: $0.map(\.verificationKey)).publicJWKS.jsonText }
            server = try TestHTTPServer { _ in .json("", status: 404) }
            server.setHandler { [self] _ in
                let index = served.withLock { count in
                    defer { count += 1 }
                    return min(count, documents.count - 1)
                }
                return .json(documents[index])
            }
        }

        init(failure status: Int) throws {
            server = try TestHTTPServer { _ in .json("{\"error\":\"maintenance\"}", status: status) }
        }

        var url: String { server.url("/jwks.json") }
    }

    /// Runs `layabauth` with `arguments` until its standard output holds `enough`, then interrupts it.
    /// - Returns: the lines printed, and whether the process was still running when interrupted.
    func watch(_ arguments: [String], until enough: @escaping @Sendable (String) -> Bool) async throws -> (lines: [String], wasRunning: Bool) {
        try await OwnThread.run {
            let child = try ChildProcess(arguments)
            let reached = child.pump(until: { enough(String(decoding: $0.standardOutput, as: UTF8.self)) }, deadline: Date().addingTimeInterval(60))
            let running = child.isRunning
            child.stop(signal: SIGINT)
            let result = child.finish(timeout: 10)
            if !reached { Issue.record("layabauth \(arguments.joined(separator: " ")) did not print what was expected within 60 s\n\(result)") }
            return (result.outputLines, running)
        }
    }

    /// Whether `line` starts with an ISO 8601 UTC time and a space.
    static func startsWithTime(_ line: String) -> Bool {
        line.contains(#/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z /#)
    }

    @Test("each event as a log line with its time: the first retrieval, then the kids added, then the kids removed")
    func rotation() async throws {
        let keys = try ["a", "b"].map { try SigningKey.generate(.es256, kid: $0) }
        let endpoint = try Endpoint(sets: [[keys[0]], keys, [keys[1]]])
        defer { endpoint.server.stop() }
        let (lines, running) = try await watch(["jwks", endpoint.url, "--watch", "--interval", "0.2"]) { $0.contains("kids.removed=a") }
        #expect(running, "it keeps watching until interrupted")
        #expect(lines.allSatisfy(Self.startsWithTime), "\(lines)")
        #expect(lines.first?.hasSuffix(" debug key set retrieval started jwks.source=\(endpoint.url)") == true, "\(lines)")
        let retrieved = try #require(lines.first { $0.contains(" debug key set retrieved ") }, "\(lines)")
        #expect(retrieved.contains(" http.status=200 ") && retrieved.contains(" keys=1 ") && retrieved.contains(" duration_ms="), "\(retrieved)")
        let changes = lines.filter { $0.contains(" info key set changed ") }
        try #require(changes.count == 2, "\(lines)")
        #expect(changes[0].contains("kids.added=b") && !changes[0].contains("kids.removed"), "\(changes[0])")
        #expect(changes[1].contains("kids.removed=a") && !changes[1].contains("kids.added"), "\(changes[1])")
        #expect(lines.firstIndex(of: changes[0])! < lines.firstIndex(of: changes[1])!)
    }

    @Test("a failing endpoint: a warning line per failed retrieval with its cause, and the watch goes on")
    func failure() async throws {
        let endpoint = try Endpoint(failure: 500)
        defer { endpoint.server.stop() }
        let (lines, running) = try await watch(["jwks", endpoint.url, "--watch", "--interval", "0.2"]) {
            $0.components(separatedBy: "key set retrieval failed").count > 2
        }
        #expect(running)
        let failures = lines.filter { $0.contains(" warning key set retrieval failed ") }
        #expect(failures.count >= 2, "\(lines)")
        #expect(failures.allSatisfy { $0.contains("http.status=500") && $0.contains("result=http_error") && $0.contains("HTTP 500") }, "\(failures)")
        #expect(endpoint.server.requestCount(path: "/jwks.json") >= 2)
    }

    @Test("--json: one JSON object per event per line, with time, level, event, message and metadata")
    func json() async throws {
        let keys = try ["a", "b"].map { try SigningKey.generate(.es256, kid: $0) }
        let endpoint = try Endpoint(sets: [[keys[0]], keys])
        defer { endpoint.server.stop() }
        let (lines, _) = try await watch(["jwks", endpoint.url, "--watch", "--json", "--interval", "0.2"]) { $0.contains("key_set_changed") }
        let objects = lines.compactMap { try? JSONValue(parsing: Array($0.utf8)).objectValue }
        try #require(objects.count == lines.count && objects.count >= 5, "\(lines)")
        #expect(objects.map { $0.names } .allSatisfy { $0 == ["time", "level", "event", "message", "metadata"] }, "\(lines)")
        #expect(objects.prefix(2).map { $0["event"]?.stringValue } == ["retrieval_started", "retrieval_finished"])
        let change = try #require(objects.first { $0["event"]?.stringValue == "key_set_changed" })
        #expect(change["level"]?.stringValue == "info")
        #expect(change["metadata"]?["kids.added"]?.stringValue == "b")
        #expect(change["metadata"]?["jwks.source"]?.stringValue == endpoint.url)
        #expect(change["time"]?.stringValue?.hasSuffix("Z") == true)
    }

    @Test("--interval is for --watch, and must be above 0")
    func intervalUsage() async throws {
        #expect(try await layabauth(["jwks", "keys.json", "--interval", "5"]).status == 2)
        let result = try await layabauth(["jwks", "keys.json", "--watch", "--interval", "0"])
        #expect(result.status == 2)
        #expect(result.errorOutput.contains("--interval must be a number of seconds above 0"), "\(result)")
    }
}
