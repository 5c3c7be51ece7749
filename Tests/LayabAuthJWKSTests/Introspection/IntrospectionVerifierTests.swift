import Foundation
import LayabAuth
@testable import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// Opaque tokens verified by a loopback introspection endpoint (RFC 7662).
@Suite("Introspection verifier")
struct IntrospectionVerifierTests {
    static let token = "opaque-4f9a1c2e7b"

    func answer(_ clock: ManualClock, lifetime: Double = 3600, audience: String = "api") -> JSONObject {
        ["client_id": "app", "sub": "alice", "scope": "read write", "aud": .string(audience), "iss": "https://issuer.test",
         "exp": .integer(Int64(clock.now + lifetime)), "iat": .integer(Int64(clock.now))]
    }

    func configuration(_ clock: ManualClock) -> VerifierConfiguration {
        VerifierConfiguration(issuers: ["https://issuer.test"], audiences: ["api"], clock: clock.function)
    }

    @Test("an active token's answer becomes its claims, scopes read from scope, marked introspected; the request carries the hint and Basic credentials")
    func active() async throws {
        let clock = ManualClock()
        let provider = try IntrospectionProvider()
        provider.activate(Self.token, answer(clock))
        let verified = try await provider.verifier(configuration: configuration(clock)).verify(Self.token, requiring: .all("read"))
        #expect(verified.introspectedBy == provider.url && verified.isIntrospected)
        #expect(verified.header == nil && verified.key == nil)
        #expect(verified.claims.subject == "alice" && verified.claims["client_id"] == "app" && verified.claims["active"] == true)
        #expect(verified.scopes == ["read", "write"])
        let form = FormEncoding.decode(String(decoding: try #require(provider.server.requests.first).body, as: UTF8.self))
        #expect(form.map(\.name) == ["token", "token_type_hint"] && form[1].value == "access_token")
    }

    @Test("active: false is inactive_token, a 401 invalid_token")
    func inactive() async throws {
        let clock = ManualClock()
        let provider = try IntrospectionProvider()
        let error = await #expect(throws: LayabAuthError.self) {
            try await provider.verifier(configuration: configuration(clock)).verify("unknown-token")
        }
        #expect(error?.code == .inactiveToken && error?.httpStatus == 401 && error?.oauthError == "invalid_token")
        #expect(error?.message.contains(provider.url) == true)
        #expect(error?.challenge().body.contains(provider.url) == false)
    }

    @Test("the claim rules run locally on an active answer", arguments: [
        ("expired exp", -120.0, "api", LayabAuthError.Code.expired),
        ("another audience", 3600.0, "other-api", .audienceMismatch),
    ])
    func claimsCheckedLocally(_ name: String, lifetime: Double, audience: String, code: LayabAuthError.Code) async throws {
        let clock = ManualClock()
        let provider = try IntrospectionProvider()
        provider.activate(Self.token, answer(clock, lifetime: lifetime, audience: audience))
        let error = await #expect(throws: LayabAuthError.self, "\(name)") {
            try await provider.verifier(configuration: configuration(clock)).verify(Self.token)
        }
        #expect(error?.code == code)
    }

    @Test("a scope the answer does not grant is insufficient_scope")
    func scopes() async throws {
        let clock = ManualClock()
        let provider = try IntrospectionProvider()
        provider.activate(Self.token, answer(clock))
        let error = await #expect(throws: LayabAuthError.self) {
            try await provider.verifier(configuration: configuration(clock)).verify(Self.token, requiring: .all("admin"))
        }
        #expect(error?.code == .insufficientScope && error?.requiredScopes == ["admin"])
    }

    @Test("an active answer is cached for the configured time, capped by exp; the claim rules and scopes still run on a hit")
    func activeCache() async throws {
        let clock = ManualClock()
        let provider = try IntrospectionProvider()
        provider.activate(Self.token, answer(clock, lifetime: 90))
        let verifier = try provider.verifier(configuration: configuration(clock), cache: IntrospectionCache(activeLifetime: 60))
        for _ in 0..<5 { _ = try await verifier.verify(Self.token) }
        #expect(provider.requestCount == 1)
        await #expect(throws: LayabAuthError.self) { try await verifier.verify(Self.token, requiring: .all("admin")) }
        #expect(provider.requestCount == 1)
        clock.advance(61)
        _ = try await verifier.verify(Self.token)
        #expect(provider.requestCount == 2)
        // The second answer is kept until exp (90 s after the start), not 61 + 60 s: the endpoint is asked again.
        clock.advance(30)
        _ = try await verifier.verify(Self.token)
        #expect(provider.requestCount == 3)
    }

    @Test("a revoked token is seen once its active answer leaves the cache; an inactive answer is kept briefly")
    func inactiveCache() async throws {
        let clock = ManualClock()
        let provider = try IntrospectionProvider()
        provider.activate(Self.token, answer(clock))
        let verifier = try provider.verifier(configuration: configuration(clock), cache: IntrospectionCache(activeLifetime: 10, inactiveLifetime: 5))
        _ = try await verifier.verify(Self.token)
        provider.revoke(Self.token)
        _ = try await verifier.verify(Self.token)
        clock.advance(11)
        for _ in 0..<3 {
            await #expect(throws: LayabAuthError.self) { try await verifier.verify(Self.token) }
        }
        #expect(provider.requestCount == 2)
        clock.advance(6)
        await #expect(throws: LayabAuthError.self) { try await verifier.verify(Self.token) }
        #expect(provider.requestCount == 3)
    }

    @Test("concurrent verifications of one token make one request")
    func singleFlight() async throws {
        let clock = ManualClock()
        let provider = try IntrospectionProvider(delay: 0.3)
        provider.activate(Self.token, answer(clock))
        let verifier = try provider.verifier(configuration: configuration(clock))
        let subjects = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<20 { group.addTask { try await verifier.verify(Self.token).claims.subject } }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(subjects.count == 20 && subjects.allSatisfy { $0 == "alice" })
        #expect(provider.requestCount == 1)
    }

    @Test("the cache is keyed by the token's SHA-256, never the token")
    func hashedKeys() async throws {
        let clock = ManualClock()
        let provider = try IntrospectionProvider()
        provider.activate(Self.token, answer(clock))
        let cache = try IntrospectionCache()
        _ = try await provider.verifier(configuration: configuration(clock), cache: cache).verify(Self.token)
        let key = try #require(cache.keys.first)
        #expect(cache.keys.count == 1 && key.digest.count == 32)
        #expect(key == IntrospectionCache.key(Self.token))
        #expect(!String(decoding: key.digest, as: UTF8.self).contains(Self.token))
        #expect(!"\(key)".contains(Self.token))
    }

    @Test("the cache holds at most its capacity, dropping the least recently used answer")
    func bounded() async throws {
        let clock = ManualClock()
        let provider = try IntrospectionProvider()
        for index in 0..<4 { provider.activate("token-\(index)", answer(clock)) }
        let cache = try IntrospectionCache(capacity: 2)
        let verifier = try provider.verifier(configuration: configuration(clock), cache: cache)
        _ = try await verifier.verify("token-0")
        _ = try await verifier.verify("token-1")
        _ = try await verifier.verify("token-0")
        _ = try await verifier.verify("token-2")
        #expect(cache.count == 2)
        #expect(provider.requestCount == 3)
        _ = try await verifier.verify("token-0")
        #expect(provider.requestCount == 3)
        _ = try await verifier.verify("token-1")
        #expect(provider.requestCount == 4)
    }

    @Test("wrong client credentials are introspection_unavailable (503), not the token's fault")
    func wrongClient() async throws {
        let provider = try IntrospectionProvider()
        let verifier = try IntrospectionVerifier(endpoint: .url(provider.url), clientID: IntrospectionProvider.clientID,
                                                 authentication: .basic(secret: "wrong"), configuration: VerifierConfiguration())
        let error = await #expect(throws: LayabAuthError.self) { try await verifier.verify(Self.token) }
        #expect(error?.code == .introspectionUnavailable && error?.httpStatus == 503)
        #expect(error?.message.contains("HTTP 401") == true)
        #expect(error?.message.contains(IntrospectionProvider.secret) == false)
    }

    @Test("the endpoint is found by discovery (introspection_endpoint), and the issuer becomes the accepted one")
    func discovery() async throws {
        let clock = ManualClock()
        let provider = try IntrospectionProvider()
        let discovery = try TestHTTPServer { _ in TestHTTPServer.Response(status: 404) }
        defer { discovery.stop() }
        let issuer = discovery.baseURL
        discovery.setHandler { request in
            request.path == "/.well-known/openid-configuration"
                ? .json(#"{"issuer":"\#(issuer)","introspection_endpoint":"\#(provider.url)"}"#) : TestHTTPServer.Response(status: 404)
        }
        var members = answer(clock)
        members["iss"] = .string(issuer)
        provider.activate(Self.token, members)
        let verifier = try IntrospectionVerifier(endpoint: .discovery(issuer: issuer), clientID: IntrospectionProvider.clientID,
                                                 authentication: .basic(secret: IntrospectionProvider.secret),
                                                 configuration: VerifierConfiguration(audiences: ["api"], clock: clock.function))
        #expect(verifier.configuration.issuers == [issuer])
        #expect(try await verifier.verify(Self.token).introspectedBy == provider.url)
        // An answer without iss from the discovered endpoint is the issuer's; one naming another issuer is refused.
        members["iss"] = nil
        provider.activate("no-iss", members)
        #expect(try await verifier.verify("no-iss").claims.issuer == issuer)
        members["iss"] = "https://other.test"
        provider.activate("other-iss", members)
        let error = await #expect(throws: LayabAuthError.self) { try await verifier.verify("other-iss") }
        #expect(error?.code == .issuerMismatch)
    }

    @Test("report lists the answer and each claim check")
    func report() async throws {
        let clock = ManualClock()
        let provider = try IntrospectionProvider()
        provider.activate(Self.token, answer(clock, audience: "other-api"))
        let verifier = try provider.verifier(configuration: configuration(clock))
        let report = await verifier.report(Self.token, requiring: .all("read"))
        #expect(report.isActive && !report.isValid && !report.fromCache)
        #expect(report.errors.map(\.code) == [.audienceMismatch])
        #expect(report.checks.map(\.claim) == ["exp", "nbf", "iat", "iss", "aud"])
        #expect(await verifier.report(Self.token).fromCache)
        let inactive = await verifier.report("unknown")
        #expect(!inactive.isActive && inactive.errors.map(\.code) == [.inactiveToken])
    }

    @Test("configuration is checked when the verifier is built")
    func invalidConfiguration() {
        #expect(throws: LayabAuthError.self) {
            try IntrospectionVerifier(endpoint: .url("ftp://x"), clientID: "a", authentication: .none)
        }
        #expect(throws: LayabAuthError.self) {
            try IntrospectionVerifier(endpoint: .url("https://x/introspect"), clientID: "", authentication: .none)
        }
        #expect(throws: LayabAuthError.self) { try IntrospectionCache(capacity: 0) }
        #expect(throws: LayabAuthError.self) { try IntrospectionCache(activeLifetime: .nan) }
    }
}
