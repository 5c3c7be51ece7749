import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import Synchronization
import Testing

@Suite("JWKS retrieval and caching over real HTTP on 127.0.0.1")
struct RemoteKeySourceTests {
    let clock = ManualClock()

    func source(_ server: TestHTTPServer, path: String = "/jwks.json", policy: KeyCachePolicy = KeyCachePolicy(minimumLifetime: 0),
                options: HTTPOptions = HTTPOptions()) throws(LayabAuthError) -> RemoteKeySource
    {
        try RemoteKeySource(.http(server.url(path)), options: options, cachePolicy: policy, clock: clock.function)
    }

    @Test("keys are fetched once and served from the cache within max-age")
    func maxAge() async throws {
        let issuer = try Issuer()
        let server = try TestHTTPServer { _ in .json(issuer.jwks, headers: [("Cache-Control", "public, max-age=300")]) }
        let verifier = try JWKSVerifier(source: source(server), configuration: configuration(clock))
        for _ in 0..<5 { _ = try await verifier.verify(try issuer.token(now: clock.now)) }
        clock.advance(299)
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(server.requestCount(path: "/jwks.json") == 1)
        let status = await verifier.source.status()
        #expect(status.lastHTTPStatus == 200)
        #expect(status.expiresAt == clock.now - 299 + 300)
        #expect(status.fetchCount == 1)
    }

    @Test("an expired set is revalidated with If-None-Match, and a 304 keeps the keys")
    func revalidation() async throws {
        let issuer = try Issuer()
        let server = try TestHTTPServer { request in
            if request.headers["if-none-match"] == "\"v1\"" {
                return TestHTTPServer.Response(status: 304, headers: [("ETag", "\"v1\""), ("Cache-Control", "max-age=60")])
            }
            return .json(issuer.jwks, headers: [("ETag", "\"v1\""), ("Cache-Control", "max-age=60")])
        }
        let keySource = try source(server)
        let verifier = try JWKSVerifier(source: keySource, configuration: configuration(clock))
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        clock.advance(61)
        // Stale keys keep serving while the background revalidation runs.
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(await eventually { await keySource.status().fetchCount == 2 })
        let status = await keySource.status()
        #expect(status.lastHTTPStatus == 304)
        #expect(status.etag == "\"v1\"")
        #expect(status.lastError == nil)
        #expect(server.requests.last?.headers["if-none-match"] == "\"v1\"")
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(server.requestCount(path: "/jwks.json") == 2)
    }

    @Test("a set with only Last-Modified is revalidated with If-Modified-Since, and a 304 keeps the keys")
    func lastModifiedRevalidation() async throws {
        let issuer = try Issuer()
        let stamp = "Wed, 21 Oct 2026 07:28:00 GMT"
        let server = try TestHTTPServer { request in
            if request.headers["if-modified-since"] == stamp {
                return TestHTTPServer.Response(status: 304, headers: [("Last-Modified", stamp), ("Cache-Control", "max-age=60")])
            }
            return .json(issuer.jwks, headers: [("Last-Modified", stamp), ("Cache-Control", "max-age=60")])
        }
        defer { server.stop() }
        let keySource = try source(server)
        let verifier = try JWKSVerifier(source: keySource, configuration: configuration(clock))
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(server.requests.first?.headers["if-modified-since"] == nil)
        clock.advance(61)
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(await eventually { await keySource.status().fetchCount == 2 })
        let status = await keySource.status()
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.headers["if-modified-since"] == stamp)
        #expect(server.requests.last?.headers["if-none-match"] == nil)
        #expect(status.lastHTTPStatus == 304)
        #expect(status.lastModified == stamp)
        #expect(status.lastError == nil)
        #expect(status.keys?.keys.map(\.kid) == ["k1"])
        #expect(status.expiresAt == clock.now + 60)
        let verified = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(verified.key?.kid == "k1")
        #expect(server.requests.count == 2)
    }

    @Test("no-store: no validators are kept and the set lives only the minimum lifetime")
    func noStore() async throws {
        let issuer = try Issuer()
        let server = try TestHTTPServer { _ in .json(issuer.jwks, headers: [("Cache-Control", "no-store"), ("ETag", "\"x\"")]) }
        let keySource = try source(server, policy: KeyCachePolicy(minimumLifetime: 5))
        let verifier = try JWKSVerifier(source: keySource, configuration: configuration(clock))
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        let status = await keySource.status()
        #expect(status.etag == nil)
        #expect(status.expiresAt == clock.now + 5)
        clock.advance(6)
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(await eventually { server.requestCount(path: "/jwks.json") == 2 })
        #expect(server.requests.last?.headers["if-none-match"] == nil)
    }

    @Test("an unknown kid refreshes exactly once; a second unknown kid within the cooldown does not")
    func unknownKid() async throws {
        let issuer = try Issuer(kids: ["k1"])
        let stranger = try Issuer(kids: ["other-1", "other-2"])
        let server = try TestHTTPServer { _ in .json(issuer.jwks, headers: [("Cache-Control", "max-age=3600")]) }
        let verifier = try JWKSVerifier(source: source(server, policy: KeyCachePolicy(unknownKidCooldown: 30)), configuration: configuration(clock))
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(server.requestCount(path: "/jwks.json") == 1)
        await expectError(.keyNotFound, containing: "other-1") { _ = try await verifier.verify(try stranger.token(kid: "other-1", now: clock.now)) }
        #expect(server.requestCount(path: "/jwks.json") == 2)
        clock.advance(10)
        await expectError(.keyNotFound, containing: "other-2") { _ = try await verifier.verify(try stranger.token(kid: "other-2", now: clock.now)) }
        await expectError(.keyNotFound, containing: "other-1") { _ = try await verifier.verify(try stranger.token(kid: "other-1", now: clock.now)) }
        #expect(server.requestCount(path: "/jwks.json") == 2)
        // t = 35: the cooldown (from the refresh at t = 0) is over, but other-2 was remembered as unknown at
        // t = 10 until t = 40: only the negative cache keeps this token from refetching.
        clock.advance(25)
        await expectError(.keyNotFound, containing: "other-2") { _ = try await verifier.verify(try stranger.token(kid: "other-2", now: clock.now)) }
        #expect(server.requestCount(path: "/jwks.json") == 2)
        clock.advance(6)
        await expectError(.keyNotFound, containing: "other-2") { _ = try await verifier.verify(try stranger.token(kid: "other-2", now: clock.now)) }
        #expect(server.requestCount(path: "/jwks.json") == 3)
    }

    @Test("a rotated key (new kid published) is picked up on its first token")
    func rotation() async throws {
        let old = try Issuer(kids: ["2026-01"])
        let new = try Issuer(kids: ["2026-02"])
        let server = try TestHTTPServer { _ in .json(old.jwks, headers: [("Cache-Control", "max-age=3600")]) }
        let verifier = try JWKSVerifier(source: source(server), configuration: configuration(clock))
        _ = try await verifier.verify(try old.token(now: clock.now))
        let both = KeySet(keys: (old.keys + new.keys).map(\.verificationKey)).publicJWKS.jsonText
        server.setHandler { _ in .json(both, headers: [("Cache-Control", "max-age=3600")]) }
        let verified = try await verifier.verify(try new.token(now: clock.now))
        #expect(verified.key?.kid == "2026-02")
        #expect(server.requestCount(path: "/jwks.json") == 2)
    }

    @Test("100 concurrent tokens with a newly published kid all verify, with exactly one extra fetch")
    func concurrentNewKid() async throws {
        let old = try Issuer(kids: ["2026-01"])
        let new = try Issuer(kids: ["2026-02"])
        let server = try TestHTTPServer { _ in .json(old.jwks, headers: [("Cache-Control", "max-age=3600")]) }
        defer { server.stop() }
        let verifier = try JWKSVerifier(source: source(server), configuration: configuration(clock))
        _ = try await verifier.verify(try old.token(now: clock.now))
        let both = KeySet(keys: (old.keys + new.keys).map(\.verificationKey)).publicJWKS.jsonText
        // Slow enough that the tokens arrive while the unknown-kid refresh is in flight.
        server.setHandler { _ in
            var response = TestHTTPServer.Response.json(both, headers: [("Cache-Control", "max-age=3600")])
            response.delay = 0.5
            return response
        }
        let token = try new.token(now: clock.now)
        let failures = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    do { return try await verifier.verify(token).key?.kid == "2026-02" ? nil : "wrong key" } catch { return "\(error)" }
                }
            }
            var failures: [String] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.count) of 100 failed, first: \(failures.first ?? "")")
        #expect(server.requestCount(path: "/jwks.json") == 2)
    }

    @Test("an unknown kid while the provider is down is jwks_unavailable, not key_not_found")
    func unknownKidDuringOutage() async throws {
        let issuer = try Issuer(kids: ["k1"])
        let stranger = try Issuer(kids: ["other-1", "other-2"])
        let server = try TestHTTPServer { _ in .json(issuer.jwks, headers: [("Cache-Control", "max-age=3600")]) }
        let keySource = try source(server, policy: KeyCachePolicy(unknownKidCooldown: 30))
        let verifier = try JWKSVerifier(source: keySource, configuration: configuration(clock))
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        // Fresh keys, provider up: an unknown kid is the token's fault.
        await expectError(.keyNotFound, containing: "other-1") { _ = try await verifier.verify(try stranger.token(kid: "other-1", now: clock.now)) }
        #expect(await keySource.status().fetchCount == 2)
        server.stop()
        clock.advance(31)
        // The refresh this kid triggers fails: the provider is down, so nobody can tell whether the kid exists.
        await expectError(.jwksUnavailable, containing: "connection refused") {
            _ = try await verifier.verify(try stranger.token(kid: "other-2", now: clock.now))
        }
        #expect(await keySource.status().fetchCount == 3)
        // Within the cooldown no new retrieval starts, but the last attempt failed: still jwks_unavailable.
        clock.advance(5)
        await expectError(.jwksUnavailable, containing: "connection refused") {
            _ = try await verifier.verify(try stranger.token(kid: "other-1", now: clock.now))
        }
        #expect(await keySource.status().fetchCount == 3)
        // Tokens with a known kid still verify with the last good set.
        let verified = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(verified.key?.kid == "k1")
        // The report says the same as verify.
        let report = await verifier.report(try stranger.token(kid: "other-2", now: clock.now))
        #expect(report.signature.error?.code == .jwksUnavailable, "\(String(describing: report.signature.error))")
    }

    /// `Retry-After` tells a client when the key source tries again: the whole retry interval right after a
    /// failed retrieval, the time left of it later, and the interval again once the next attempt fails too.
    @Test("jwks_unavailable carries the time until the next retrieval, which becomes Retry-After")
    func retryAfter() async throws {
        let issuer = try Issuer(kids: ["k1"])
        let server = try TestHTTPServer { _ in .json("{}", status: 500) }
        let keySource = try source(server, policy: KeyCachePolicy(minimumLifetime: 0, unknownKidCooldown: 0, retryAfterFailure: 25))
        let verifier = try JWKSVerifier(source: keySource, configuration: configuration(clock))
        func refusal() async -> LayabAuthError? {
            do {
                _ = try await verifier.verify(try issuer.token(now: clock.now))
                return nil
            } catch let error as LayabAuthError {
                return error
            } catch {
                Issue.record("unexpected error \(error)")
                return nil
            }
        }
        let first = await refusal()
        #expect(first?.code == .jwksUnavailable)
        #expect(first?.retryAfter == 25)
        #expect(first?.challenge().headers.first { $0.name == "Retry-After" }?.value == "25")
        #expect(await keySource.status().retryNotBefore == clock.now + 25)
        // 9.5 s later, within the interval: no request, 15.5 s left, sent rounded up.
        clock.advance(9.5)
        let during = await refusal()
        #expect(server.requestCount(path: "/jwks.json") == 1)
        #expect(during?.retryAfter == 15.5)
        #expect(during?.challenge().headers.first { $0.name == "Retry-After" }?.value == "16")
        // A caller's own value still wins.
        #expect(during?.challenge(retryAfter: 3).headers.first { $0.name == "Retry-After" }?.value == "3")
        // After the interval the next attempt fails as well: a whole interval again.
        clock.advance(16)
        let again = await refusal()
        #expect(server.requestCount(path: "/jwks.json") == 2)
        #expect(again?.retryAfter == 25)
        // Errors that do not come from a key source keep the default.
        #expect(LayabAuthError(.jwksUnavailable, "down").challenge().headers.first { $0.name == "Retry-After" }?.value == "10")
        // The source recovers: keys again.
        server.setHandler { _ in .json(issuer.jwks) }
        clock.advance(26)
        #expect(await refusal() == nil)
        #expect(await keySource.status().retryNotBefore == nil)
    }

    @Test("100 concurrent verifications with a cold cache cause exactly one fetch")
    func singleFlight() async throws {
        let issuer = try Issuer()
        let server = try TestHTTPServer { _ in
            var response = TestHTTPServer.Response.json(issuer.jwks)
            response.delay = 0.3
            return response
        }
        let verifier = try JWKSVerifier(source: source(server), configuration: configuration(clock))
        let token = try issuer.token(now: clock.now)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<100 { group.addTask { (try? await verifier.verify(token)) != nil } }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 100)
        #expect(results.allSatisfy { $0 })
        #expect(server.requestCount(path: "/jwks.json") == 1)
    }

    @Test("the server going down after a good fetch: known kids still verify and the error is reported")
    func serverDown() async throws {
        let issuer = try Issuer()
        let server = try TestHTTPServer { _ in .json(issuer.jwks, headers: [("Cache-Control", "max-age=60")]) }
        let keySource = try source(server)
        let verifier = try JWKSVerifier(source: keySource, configuration: configuration(clock))
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        server.stop()
        clock.advance(120)
        _ = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(await eventually { await keySource.status().lastError != nil })
        let status = await keySource.status()
        #expect(status.lastError?.message.contains("connection refused") == true, "\(String(describing: status.lastError))")
        #expect(status.staleness(now: clock.now) >= 60)
        // Still verifying with the cached keys, without waiting on the dead server.
        let verified = try await verifier.verify(try issuer.token(now: clock.now))
        #expect(verified.key?.kid == "k1")
    }

    @Test("a server that accepts and never answers times out within the configured bound")
    func timeout() async throws {
        let server = try TestHTTPServer { _ in TestHTTPServer.Response(stall: true) }
        defer { server.stop() }
        let keySource = try source(server, options: HTTPOptions(connectTimeout: 1, totalTimeout: 1))
        var message = ""
        await expectError(containing: "timed out") {
            do { _ = try await keySource.currentKeys() } catch let error as LayabAuthError {
                message = error.message
                throw error
            }
        }
        // libcurl measures the wait on its own thread and says so ("Operation timed out after 1001
        // milliseconds"): the 1 s bound ended the request, not the server, which would hold it for 30 s.
        // The test's own clock is no judge: on a loaded 2-core machine its task may resume seconds late.
        // Under 5 s: a transfer that ignored the 1 s limit would end on the 10 s default or the 30 s stall.
        let waited = message.firstMatch(of: /after (\d+) milliseconds/).flatMap { Int($0.1) }
        #expect(waited.map { $0 >= 1000 && $0 < 5000 } == true, "\(message)")
    }

    @Test("connection refused is reported as such")
    func refused() async throws {
        // A bound socket that never listens: a stopped server's port could be handed to another test's server.
        let refusing = try TestHTTPClient.RefusingPort()
        let keySource = try RemoteKeySource(.http("http://127.0.0.1:\(refusing.port)/jwks.json"), clock: clock.function)
        await expectError(containing: "connection refused") { _ = try await keySource.currentKeys() }
        withExtendedLifetime(refusing) {}
    }

    struct BadResponse: Sendable, CustomTestStringConvertible {
        let name: String
        let response: TestHTTPServer.Response
        /// Every fragment must be in the message.
        let expected: [String]
        /// Fragments that would mean another failure was reported.
        var absent: [String] = []
        var testDescription: String { name }
    }

    static let badResponses: [BadResponse] = [
        // 300 bytes: the message carries the first 200 and says it was cut.
        BadResponse(name: "HTTP 500", response: .json(String(repeating: "a", count: 200) + String(repeating: "Z", count: 100), status: 500),
                    expected: ["HTTP 500 error while retrieving keys from http://127.0.0.1", "/jwks.json: " + String(repeating: "a", count: 200) + "…"],
                    absent: ["Z"]),
        BadResponse(name: "HTTP 404", response: TestHTTPServer.Response(status: 404, body: Array("not here".utf8)),
                    expected: ["HTTP 404 error while retrieving keys from http://127.0.0.1", "/jwks.json: not here"]),
        BadResponse(name: "HTML body", response: TestHTTPServer.Response(headers: [("Content-Type", "text/html")], body: Array("<html><body>Login</body></html>".utf8)),
                    expected: ["the response is HTML, not a JWK Set (Content-Type text/html): an HTML page (31 bytes) without a title"],
                    absent: ["not valid JSON", "<html>"]),
        // A login page answered with 200: named by its title, not dumped.
        BadResponse(name: "HTML login page", response: TestHTTPServer.Response(headers: [("Content-Type", "text/html; charset=utf-8")],
                                                                                 body: Array("<!DOCTYPE html><html><head><title>Sign in &amp; continue</title><style>body{}</style></head><body>…</body></html>".utf8)),
                    expected: [#"the response is HTML, not a JWK Set (Content-Type text/html; charset=utf-8): an HTML page ("#, #"): "Sign in & continue""#],
                    absent: ["<style>", "<!DOCTYPE"]),
        BadResponse(name: "truncated JSON", response: .json(#"{"keys":[{"kty":"EC","crv":"P-256","x":"#),
                    expected: ["is not valid JSON", #"the body starts with: {"keys":[{"kty":"EC""#], absent: ["HTML"]),
        BadResponse(name: "5 MiB body", response: .json("{\"keys\":[],\"pad\":\"" + String(repeating: "a", count: 5 << 20) + "\"}"),
                    expected: ["larger than the 1048576-byte limit"]),
        BadResponse(name: "no usable keys", response: .json(#"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","kid":"tiny"}]}"#),
                    expected: ["no usable keys from http://127.0.0.1", #"key #0 (kid "tiny"): "#, "at least 2048 are required"]),
    ]

    @Test("each broken endpoint gives its own clear error", arguments: badResponses)
    func brokenEndpoints(_ bad: BadResponse) async throws {
        let server = try TestHTTPServer { _ in bad.response }
        defer { server.stop() }
        do {
            _ = try await source(server).currentKeys()
            Issue.record("expected jwks_unavailable, got keys")
        } catch {
            #expect(error.code == .jwksUnavailable)
            for fragment in bad.expected { #expect(error.message.contains(fragment), "message: \(error.message)") }
            for fragment in bad.absent { #expect(!error.message.contains(fragment), "message: \(error.message)") }
        }
    }

    @Test("a redirect from http to http is followed; from https to http never")
    func redirects() async throws {
        let issuer = try Issuer()
        let server = try TestHTTPServer { request in
            if request.path == "/moved" { return TestHTTPServer.Response(status: 302, headers: [("Location", "/jwks.json")]) }
            return .json(issuer.jwks)
        }
        defer { server.stop() }
        let keys = try await source(server, path: "/moved").currentKeys()
        #expect(keys.keys.first?.kid == "k1")
        #expect(server.requestCount(path: "/moved") == 1)
        #expect(server.requestCount(path: "/jwks.json") == 1)
    }

    @Test("too many redirects stop at the bound")
    func redirectLoop() async throws {
        let server = try TestHTTPServer { _ in TestHTTPServer.Response(status: 302, headers: [("Location", "/loop")]) }
        defer { server.stop() }
        await expectError(containing: "more than 3 redirects") { _ = try await source(server, path: "/loop").currentKeys() }
        #expect(server.requests.count == 4)
    }

    @Test("requests say Accept: application/json and name the project in User-Agent")
    func requestHeaders() async throws {
        let issuer = try Issuer()
        let server = try TestHTTPServer { _ in .json(issuer.jwks) }
        defer { server.stop() }
        _ = try await source(server).currentKeys()
        let request = try #require(server.requests.first)
        #expect(request.headers["accept"] == "application/json")
        #expect(request.headers["user-agent"] == "LayabAuth/\(LayabAuthVersion.current) (libcurl)")
        #expect(LayabAuthVersion.current.wholeMatch(of: /\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?/) != nil)
        #expect(request.headers["accept-encoding"] != nil)
    }

    @Test("file:// URIs and plain paths load key sets")
    func files() async throws {
        let issuer = try Issuer()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("layabauth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("jwks.json").path
        try issuer.jwks.write(toFile: path, atomically: true, encoding: .utf8)
        for uri in [path, "file://" + path] {
            let verifier = try JWKSVerifier(jwksURI: uri, configuration: configuration(clock))
            let verified = try await verifier.verify(try issuer.token(now: clock.now))
            #expect(verified.key?.kid == "k1")
        }
        await expectError(containing: "no such file") { _ = try await RemoteKeySource(uri: path + ".missing").currentKeys() }
        await expectError(containing: "unsupported JWKS URI scheme") { _ = try RemoteKeySource(uri: "ftp://example/jwks") }
    }

    @Test("file URIs name local files only (RFC 8089): no host or localhost, percent-decoded")
    func fileURIs() async throws {
        #expect(try RemoteKeySource.Location("file:///etc/keys/jwks.json") == .file("/etc/keys/jwks.json"))
        #expect(try RemoteKeySource.Location("FILE://localhost/etc/my%20keys.json") == .file("/etc/my keys.json"))
        #expect(try RemoteKeySource.Location("file://LocalHost/k.json") == .file("/k.json"))
        #expect(try RemoteKeySource.Location("keys/jwks.json") == .file("keys/jwks.json"))
        #expect(try RemoteKeySource.Location("HTTPS://idp.example/jwks") == .http("HTTPS://idp.example/jwks"))
        let refused = [
            ("file://idp.example/etc/jwks.json", "names the host \"idp.example\""),
            ("file://jwks.json", "names the host \"jwks.json\""),
            ("file://", "names no file"),
            ("file://localhost", "names no file"),
            ("file:///tmp/%zz", "not valid percent-encoding"),
            ("file:///tmp/a%00b", "NUL byte"),
            ("", "the JWKS URI is empty"),
            (" \t", "the JWKS URI is empty"),
        ]
        for (uri, fragment) in refused {
            await expectError(containing: fragment) { _ = try RemoteKeySource.Location(uri) }
        }
    }
}

@Suite("File reads and the cooperative thread pool")
struct FileReadThreadTests {
    @Test("file reads that block wait on threads of their own, not on the cooperative pool")
    func blockedReadsLeaveThePoolFree() async throws {
        let clock = ManualClock()
        let issuer = try Issuer()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("layabauth-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // More readers than the cooperative pool has threads on any machine this runs on. Opening a FIFO
        // blocks until a writer opens it.
        let paths = (0..<32).map { directory.appendingPathComponent("jwks-\($0)").path }
        for path in paths { try #require(mkfifo(path, 0o600) == 0) }
        let released = Atomic<Bool>(false)
        let writer = Thread {
            // Without a release from the test (a pool blocked by the readers cannot run it), the writer
            // frees the readers after 60 s so that a failure ends; long, for a machine loaded by the suite.
            let deadline = Date().addingTimeInterval(60)
            while !released.load(ordering: .relaxed), Date() < deadline { usleep(10_000) }
            released.store(true, ordering: .relaxed)
            let bytes = Array(issuer.jwks.utf8)
            for path in paths {
                // A blocking open waits for that FIFO's reader however late its thread starts on a loaded
                // machine; giving up on one (as a bounded non-blocking retry did) left its reader, and the
                // test awaiting it, blocked for ever.
                let fd = open(path, O_WRONLY)
                guard fd >= 0 else { continue }
                _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
        }
        writer.start()
        let readers = paths.map { path in
            Task { try await RemoteKeySource(.file(path), clock: clock.function).currentKeys() }
        }
        try await Task.sleep(for: .milliseconds(300))
        // This task resumed while every reader is still blocked: the readers are not holding the pool.
        let readersStillBlocked = !released.load(ordering: .relaxed)
        #expect(readersStillBlocked, "the test could only resume after the readers were released")
        released.store(true, ordering: .relaxed)
        for reader in readers {
            let keys = try await reader.value
            #expect(keys.keys.first?.kid == "k1")
        }
    }
}

@Suite("Unknown kid during a refresh in flight")
struct UnknownKidRaceTests {
    @Test("a kid published while an earlier refresh is in flight is still found")
    func kidAfterInFlightRefresh() async throws {
        let clock = ManualClock()
        let old = try Issuer(kids: ["old"])
        let new = try Issuer(kids: ["new"])
        let both = KeySet(keys: (old.keys + new.keys).map(\.verificationKey)).publicJWKS.jsonText
        let server = try TestHTTPServer { _ in .json(old.jwks, headers: [("Cache-Control", "max-age=60")]) }
        defer { server.stop() }
        let source = try RemoteKeySource(.http(server.url("/jwks.json")), cachePolicy: KeyCachePolicy(minimumLifetime: 0), clock: clock.function)
        let verifier = try JWKSVerifier(source: source, configuration: configuration(clock))
        _ = try await verifier.verify(try old.token(now: clock.now))
        // The keys go stale; a slow background refresh starts and will bring the old set only.
        server.setHandler { _ in
            var response = TestHTTPServer.Response.json(old.jwks, headers: [("Cache-Control", "max-age=60")])
            response.delay = 0.5
            return response
        }
        clock.advance(61)
        _ = try await verifier.verify(try old.token(now: clock.now))
        #expect(await eventually { server.requests.count == 2 })
        // The provider publishes the new key while that refresh is still in flight.
        server.setHandler { _ in .json(both, headers: [("Cache-Control", "max-age=60")]) }
        let verified = try await verifier.verify(try new.token(kid: "new", now: clock.now))
        #expect(verified.key?.kid == "new")
        #expect(server.requests.count == 3)
    }
}
