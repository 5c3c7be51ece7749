import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import Synchronization
import Testing

/// A CA and a server certificate for 127.0.0.1, made with the openssl command line for one test run.
struct TestPKI: Sendable {
    let directory: URL
    var caPath: String { directory.appendingPathComponent("ca.pem").path }
    var certificatePath: String { directory.appendingPathComponent("server.pem").path }
    var keyPath: String { directory.appendingPathComponent("server.key").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("layabauth-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
                 "-out", "ca.pem", "-days", "2", "-subj", "/CN=LayabAuth Test CA"])
        try run(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key",
                 "-out", "server.csr", "-subj", "/CN=127.0.0.1"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(to: directory.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
        try run(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
                 "-days", "2", "-extfile", "san.ext"])
    }

    private func run(_ arguments: [String]) throws { try OpenSSLCommand.run(arguments, in: directory) }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// The Python TLS fixture server, started for one test.
///
/// `@unchecked Sendable`: created on a helper thread and then owned by the one test that started it;
/// only `deinit` touches the process again.
final class HTTPSFixture: @unchecked Sendable {
    let process: ChildProcess
    let port: Int

    init(pki: TestPKI, jwks: String, redirectTo: String) throws {
        let jwksPath = pki.directory.appendingPathComponent("jwks.json").path
        try jwks.write(toFile: jwksPath, atomically: true, encoding: .utf8)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/https_server.py").path
        process = try ChildProcess(executable: "/usr/bin/env", arguments: ["python3", script, pki.certificatePath, pki.keyPath, jwksPath, redirectTo])
        // The port, on the first line (bounded).
        process.pump(until: { $0.standardOutput.contains(10) || $0.standardOutput.count >= 64 || !$0.isRunning },
                     deadline: Date().addingTimeInterval(Subprocess.defaultTimeout))
        let line = String(decoding: process.standardOutput.prefix { $0 != 10 }.prefix(64), as: UTF8.self)
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw POSIXError(.EPROTO) }
        self.port = port
    }

    deinit {
        // The fixture exits when its standard input closes.
        _ = process.finish()
    }
}

@Suite("HTTPS and discovery")
struct HTTPSAndDiscoveryTests {
    let clock = ManualClock()

    @Test("HTTPS verifies with the CA bundle option and fails with a clear TLS error without it")
    func tls() async throws {
        let pki = try await OwnThread.run { try TestPKI() }
        defer { pki.remove() }
        let issuer = try Issuer()
        let jwks = issuer.jwks
        let fixture = try await OwnThread.run { try HTTPSFixture(pki: pki, jwks: jwks, redirectTo: "http://127.0.0.1:9/jwks.json") }
        let url = "https://127.0.0.1:\(fixture.port)/jwks.json"

        let trusted = try RemoteKeySource(.http(url), options: HTTPOptions(caBundlePath: pki.caPath), clock: clock.function)
        let keys = try await trusted.currentKeys()
        #expect(keys.keys.first?.kid == "k1")

        let untrusted = try RemoteKeySource(.http(url), clock: clock.function)
        await expectError(containing: "TLS failure") { _ = try await untrusted.currentKeys() }
    }

    @Test("a redirect from https to http is never followed")
    func downgrade() async throws {
        let pki = try await OwnThread.run { try TestPKI() }
        defer { pki.remove() }
        let issuer = try Issuer()
        let jwks = issuer.jwks
        let plain = try TestHTTPServer { _ in .json(jwks) }
        defer { plain.stop() }
        let target = plain.url("/jwks.json")
        let fixture = try await OwnThread.run { try HTTPSFixture(pki: pki, jwks: jwks, redirectTo: target) }
        let source = try RemoteKeySource(.http("https://127.0.0.1:\(fixture.port)/downgrade"), options: HTTPOptions(caBundlePath: pki.caPath),
                                     clock: clock.function)
        await expectError(containing: "redirects from https to http are never followed") { _ = try await source.currentKeys() }
        #expect(plain.requests.isEmpty)
    }

    @Test("once a redirect chain reaches https, a later redirect to http is not followed")
    func downgradeLaterInTheChain() async throws {
        let pki = try await OwnThread.run { try TestPKI() }
        defer { pki.remove() }
        let issuer = try Issuer()
        let jwks = issuer.jwks
        let box = PortBox()
        // http://…/start → https://…/downgrade → http://…/jwks.json
        let plain = try TestHTTPServer { request in
            if request.path == "/start" {
                return TestHTTPServer.Response(status: 302, headers: [("Location", "https://127.0.0.1:\(box.port)/downgrade")])
            }
            return .json(jwks)
        }
        defer { plain.stop() }
        let fixture = try await OwnThread.run { try HTTPSFixture(pki: pki, jwks: jwks, redirectTo: plain.url("/jwks.json")) }
        box.port = fixture.port
        let source = try RemoteKeySource(.http(plain.url("/start")), options: HTTPOptions(caBundlePath: pki.caPath), clock: clock.function)
        await expectError(containing: "redirects from https to http are never followed") { _ = try await source.currentKeys() }
        #expect(plain.requestCount(path: "/start") == 1)
        #expect(plain.requestCount(path: "/jwks.json") == 0)
    }

    static func discoveryServer(issuerPath: String = "", declaredIssuer: (@Sendable (String) -> String)? = nil, openID: Bool = true,
                                jwks: String) throws -> TestHTTPServer
    {
        let box = PortBox()
        let server = try TestHTTPServer { request in
            let base = "http://127.0.0.1:\(box.port)"
            let issuer = base + issuerPath
            let declared = declaredIssuer?(issuer) ?? issuer
            let document = #"{"issuer":"\#(declared)","jwks_uri":"\#(base)/keys","authorization_endpoint":"\#(base)/authorize"}"#
            switch request.path {
            case issuerPath + "/.well-known/openid-configuration" where openID: return .json(document)
            case "/.well-known/oauth-authorization-server" + issuerPath where !openID: return .json(document)
            case "/keys": return .json(jwks)
            default: return TestHTTPServer.Response(status: 404)
            }
        }
        box.port = server.port
        return server
    }

    @Test("OIDC discovery finds jwks_uri and the keys verify a token")
    func discovery() async throws {
        let issuer = try Issuer()
        let server = try Self.discoveryServer(jwks: issuer.jwks)
        defer { server.stop() }
        let verifier = try JWKSVerifier(issuer: server.baseURL, configuration: configuration(clock))
        let token = try issuer.token(now: clock.now)
        // The token's iss must equal the discovered issuer: this one says https://issuer.test.
        await expectError(.issuerMismatch, containing: server.baseURL) { _ = try await verifier.verify(token) }
        let status = await verifier.source.status()
        #expect(status.location == server.url("/keys"))
        #expect(status.discoveredFrom == server.baseURL)
        var claims: JSONObject = ["iss": .string(server.baseURL), "exp": .integer(Int64(clock.now + 60))]
        claims["sub"] = "bob"
        let good = try issuer.keys[0].sign(claims: claims)
        let verified = try await verifier.verify(good)
        #expect(verified.claims.subject == "bob")
        #expect(server.requestCount(path: "/.well-known/openid-configuration") == 1)
    }

    @Test("discovery falls back to RFC 8414 for an issuer with a path")
    func rfc8414() async throws {
        let issuer = try Issuer()
        let server = try Self.discoveryServer(issuerPath: "/tenant-a", openID: false, jwks: issuer.jwks)
        defer { server.stop() }
        let source = try DiscoveryKeySource(issuer: server.url("/tenant-a"), clock: clock.function)
        let keys = try await source.currentKeys()
        #expect(keys.keys.first?.kid == "k1")
        #expect(server.requestCount(path: "/tenant-a/.well-known/openid-configuration") == 1)
        #expect(server.requestCount(path: "/.well-known/oauth-authorization-server/tenant-a") == 1)
        #expect(await source.jwksURI == server.url("/keys"))
    }

    @Test("discovery refuses a document whose issuer differs from the configured one")
    func issuerMismatch() async throws {
        let issuer = try Issuer()
        let server = try Self.discoveryServer(declaredIssuer: { $0 + "/" }, jwks: issuer.jwks)
        defer { server.stop() }
        let source = try DiscoveryKeySource(issuer: server.baseURL, clock: clock.function)
        await expectError(containing: "declares issuer \"\(server.baseURL)/\", expected \"\(server.baseURL)\" exactly") {
            _ = try await source.currentKeys()
        }
        #expect(server.requestCount(path: "/keys") == 0)
    }

    @Test("discovery compares the declared issuer byte for byte: a KELVIN SIGN or a full-width K is another issuer",
          arguments: ["tenant-\u{212A}", "tenant-\u{FF2B}"])
    func issuerLookAlike(_ declaredPath: String) async throws {
        let issuer = try Issuer()
        let server = try Self.discoveryServer(issuerPath: "/tenant-K", declaredIssuer: { $0.replacingOccurrences(of: "tenant-K", with: declaredPath) },
                                              jwks: issuer.jwks)
        defer { server.stop() }
        #expect("tenant-\u{212A}" == "tenant-K" || declaredPath.hasSuffix("\u{FF2B}"), "Swift's == equates the Kelvin pair")
        let source = try DiscoveryKeySource(issuer: server.url("/tenant-K"), clock: clock.function)
        await expectError(containing: "declares issuer \"\(server.baseURL)/\(declaredPath)\", expected \"\(server.url("/tenant-K"))\" exactly") {
            _ = try await source.currentKeys()
        }
        #expect(server.requestCount(path: "/keys") == 0)
    }

    @Test("a failed discovery says when it is tried again")
    func discoveryRetryAfter() async throws {
        let issuer = try Issuer()
        let server = try Self.discoveryServer(declaredIssuer: { $0 + "/" }, jwks: issuer.jwks)
        defer { server.stop() }
        let source = try DiscoveryKeySource(issuer: server.baseURL, cachePolicy: KeyCachePolicy(retryAfterFailure: 40), clock: clock.function)
        func refusal() async -> LayabAuthError? {
            do throws(LayabAuthError) { _ = try await source.currentKeys(); return nil } catch { return error }
        }
        #expect(await refusal()?.retryAfter == 40)
        let requests = server.requests.count
        clock.advance(30)
        let later = await refusal()
        #expect(later?.retryAfter == 10)
        #expect(later?.message.contains("declares issuer") == true)
        #expect(server.requests.count == requests)
    }
}

/// The port of a server, known only after it started, read by its own handler.
final class PortBox: Sendable {
    private let value = Mutex(0)
    var port: Int {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
