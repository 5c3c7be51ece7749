#if Hummingbird
import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import Synchronization
import Testing

/// The example app under load (wrk, on loopback) while its JWKS server fails, hangs, serves garbage
/// and rotates keys: tokens with cached keys keep verifying, no 5xx, no crash, no memory growth.
@Suite("Faults under load", .serialized)
struct FaultsUnderLoadTests {
    enum Mode: Sendable { case healthy, failing, hanging, garbage, rotated }

    final class Switch: Sendable {
        let mode = Mutex(Mode.healthy)
    }

    struct Load {
        let requests: Int
        let nonSuccess: Int
        let socketErrors: Bool
        let output: String
    }

    static func wrk(port: Int, path: String, token: String, seconds: Int) throws -> Load {
        let run = try Subprocess.runBlocking("/usr/bin/env", ["wrk", "-t2", "-c16", "-d\(seconds)s", "--timeout", "5s", "-H", "Authorization: Bearer \(token)",
                                                             "http://127.0.0.1:\(port)\(path)"])
        let text = run.output + run.errorOutput
        func number(after label: String) -> Int? {
            guard let range = text.range(of: label) else { return nil }
            return Int(text[range.upperBound...].prefix { $0.isNumber || $0 == " " }.trimmingCharacters(in: .whitespaces))
        }
        return Load(requests: requestCount(text),
                    nonSuccess: number(after: "Non-2xx or 3xx responses:") ?? 0,
                    socketErrors: text.contains("Socket errors"),
                    output: text)
    }

    static func requestCount(_ output: String) -> Int {
        // "  12345 requests in 2.00s, 3.1MB read"
        for line in output.split(separator: "\n") where line.contains("requests in") {
            return Int(line.split(separator: " ").first ?? "") ?? 0
        }
        return 0
    }

    static func residentKilobytes(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return 0
    }

    @Test("wrk against GET /me while the JWKS server fails, hangs, serves garbage and rotates keys")
    func faults() async throws {
        try await OwnThread.run { try Self.run() }
    }

    static func run() throws {
        let issuer = try TestIssuer(algorithms: [.rs256])
        let rotated = try TestIssuer(algorithms: [.es256])
        let both = KeySet(keys: (issuer.keys + rotated.keys).map(\.verificationKey)).publicJWKS.jsonText
        let modes = Switch()
        let jwks = try TestHTTPServer { _ in
            switch modes.mode.withLock({ $0 }) {
            case .healthy: return .json(issuer.jwks)
            case .failing: return .json(#"{"error":"down"}"#, status: 500)
            case .hanging: return TestHTTPServer.Response(stall: true)
            case .garbage: return .json("<html>maintenance</html>")
            case .rotated: return .json(both)
            }
        }
        defer { jwks.stop() }
        // Keys expire after a second, so every phase forces refreshes against the faulty server.
        let app = try ExampleProcess("hummingbird-example", arguments: ["--jwks", jwks.url("/jwks.json"), "--key-cache-lifetime", "1"])
        let token = try issuer.token(claims: ["sub": "alice"], lifetime: 3600)
        #expect(try app.get("/me", authorization: "Bearer \(token)").status == 200)

        let startMemory = residentKilobytes(app.process.pid)
        var report: [String] = []
        for mode in [Mode.failing, .hanging, .garbage, .healthy] {
            modes.mode.withLock { $0 = mode }
            let load = try wrk(port: app.port, path: "/me", token: token, seconds: 3)
            let count = requestCount(load.output)
            report.append("\(mode): \(count) requests, \(load.nonSuccess) non-2xx")
            #expect(count > 100, "\(mode): \(load.output)")
            #expect(load.nonSuccess == 0, "\(mode): \(load.output)")
            #expect(app.process.isRunning, "the app died during \(mode)")
        }
        // Rotation: a token from the new key is picked up by the unknown-kid refresh.
        modes.mode.withLock { $0 = .rotated }
        let newToken = try rotated.token(claims: ["sub": "bob"], lifetime: 3600)
        #expect(try app.get("/me", authorization: "Bearer \(newToken)").status == 200)
        let load = try wrk(port: app.port, path: "/me", token: newToken, seconds: 2)
        #expect(load.nonSuccess == 0, "rotated: \(load.output)")
        let endMemory = residentKilobytes(app.process.pid)
        report.append("memory \(startMemory) kB → \(endMemory) kB")
        print("faults under load: " + report.joined(separator: "; "))
        #expect(endMemory < startMemory + 64 * 1024, "memory grew from \(startMemory) kB to \(endMemory) kB")
        #expect(jwks.requests.count > 3, "the faulty server was asked again: \(jwks.requests.count) requests")
    }
}
#endif
