import Foundation
import LayabAuth
@testable import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import Testing

@Suite("Cache lifetimes from response headers")
struct CachePolicyTests {
    let policy = KeyCachePolicy(minimumLifetime: 60, maximumLifetime: 3600, defaultLifetime: 600)
    let now = 1_800_000_000.0

    @Test("max-age sets the lifetime, clamped to the bounds")
    func maxAge() {
        #expect(policy.lifetime(of: ["cache-control": "public, max-age=300"], now: now) == 300)
        #expect(policy.lifetime(of: ["cache-control": "max-age=5"], now: now) == 60)
        #expect(policy.lifetime(of: ["cache-control": "max-age=999999"], now: now) == 3600)
        #expect(policy.lifetime(of: ["cache-control": "max-age=\"120\""], now: now) == 120)
    }

    @Test("no-store and no-cache mean the minimum lifetime")
    func noStore() {
        #expect(policy.lifetime(of: ["cache-control": "no-store"], now: now) == 60)
        #expect(policy.lifetime(of: ["cache-control": "no-cache, max-age=900"], now: now) == 60)
    }

    @Test("Expires counts from the server's Date header")
    func expires() {
        let headers = ["date": "Sun, 29 Nov 2026 10:00:00 GMT", "expires": "Sun, 29 Nov 2026 10:15:00 GMT"]
        #expect(policy.lifetime(of: headers, now: now) == 900)
        #expect(policy.lifetime(of: ["expires": "not a date"], now: now) == 600)
    }

    @Test("without caching headers the default lifetime applies")
    func defaults() {
        #expect(policy.lifetime(of: [:], now: now) == 600)
    }

    @Test("a gzip-compressed key set is decoded")
    func gzip() async throws {
        let issuer = try Issuer()
        let compressed = try await Self.gzip(Array(issuer.jwks.utf8))
        let server = try TestHTTPServer { request in
            guard request.headers["accept-encoding"]?.contains("gzip") == true else { return .json(issuer.jwks) }
            return TestHTTPServer.Response(headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")], body: compressed)
        }
        defer { server.stop() }
        let keys = try await RemoteKeySource(.http(server.url("/jwks.json"))).currentKeys()
        #expect(keys.keys.first?.kid == "k1")
        #expect(server.requests.first?.headers["accept-encoding"]?.contains("gzip") == true)
    }

    static func gzip(_ bytes: [UInt8]) async throws -> [UInt8] {
        let run = try await Subprocess.run("/usr/bin/env", ["gzip", "-c"], input: bytes)
        guard run.status == 0, !run.timedOut else { throw POSIXError(.EIO) }
        return run.standardOutput
    }
}
