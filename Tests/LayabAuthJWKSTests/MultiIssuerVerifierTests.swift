import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// Issue 16 §3: several trusted issuers, selected by the token's unverified `iss`; templates bound to `tid`.
@Suite("Many issuers: selection by iss, one key source each, no request for an untrusted issuer")
struct MultiIssuerVerifierTests {
    /// Two providers, each serving its own keys on its own loopback server.
    struct TwoIssuers {
        let a: TestIssuer
        let b: TestIssuer
        let serverA: TestHTTPServer
        let serverB: TestHTTPServer
        let verifier: MultiIssuerVerifier

        init(audience: String? = nil) throws {
            a = try TestIssuer(name: "https://a.test/", algorithms: [.es256])
            b = try TestIssuer(name: "https://K.test", algorithms: [.es256])
            serverA = try a.serve()
            serverB = try b.serve()
            let configuration = VerifierConfiguration(audiences: audience.map { [$0] } ?? [])
            verifier = try MultiIssuerVerifier([
                .issuer(a.name, jwksURI: serverA.url("/jwks.json"), configuration: configuration),
                .issuer(b.name, jwksURI: serverB.url("/jwks.json"), configuration: configuration),
            ])
        }

        func stop() {
            serverA.stop()
            serverB.stop()
        }
    }

    @Test("each issuer's token is verified with its own keys, fetched from its own server only")
    func twoIssuers() async throws {
        let setup = try TwoIssuers()
        defer { setup.stop() }
        let fromA = try await setup.verifier.verify(try setup.a.token(claims: ["sub": "alice"]))
        #expect(fromA.claims.issuer == "https://a.test/")
        #expect(setup.serverA.requestCount(path: "/jwks.json") == 1)
        #expect(setup.serverB.requestCount(path: "/jwks.json") == 0)
        let fromB = try await setup.verifier.verify(try setup.b.token(claims: ["sub": "bob"]))
        #expect(fromB.claims.subject == "bob")
        #expect(setup.serverB.requestCount(path: "/jwks.json") == 1)
    }

    @Test("a token signed with issuer A's key but claiming issuer B is refused by B's keys")
    func foreignIssuerClaimed() async throws {
        let setup = try TwoIssuers()
        defer { setup.stop() }
        // Both issuers use the kid test-es256: B's key of that kid does not verify A's signature.
        let forged = try setup.a.token(claims: ["iss": .string(setup.b.name)])
        let error = await #expect(throws: LayabAuthError.self) { try await setup.verifier.verify(forged) }
        #expect(error?.code == .badSignature)
        #expect(setup.serverA.requestCount(path: "/jwks.json") == 0)
    }

    @Test("an unknown iss is refused without any request, and the client is not told the trusted list",
          arguments: ["https://evil.test", "https://a.test", "https://A.test/", "https://K.test/", "https://k.test", "https://\u{212A}.test"])
    func unknownIssuer(_ issuer: String) async throws {
        let setup = try TwoIssuers()
        defer { setup.stop() }
        let token = try setup.a.token(claims: ["iss": .string(issuer)])
        let error = await #expect(throws: LayabAuthError.self) { try await setup.verifier.verify(token) }
        #expect(error?.code == .issuerMismatch)
        #expect(error?.message.contains("https://K.test") == true)
        #expect(error?.message.contains("trusted: ") == true)
        #expect(error?.clientMessage?.contains("trusted: ") == false)
        #expect(error?.clientMessage?.contains("https://a.test/") == false)
        #expect(error?.clientMessage?.contains("not a trusted issuer") == true)
        let report = await setup.verifier.report(token)
        #expect(report.errors.first?.code == .issuerMismatch)
        #expect(report.hints.contains { $0.contains("no trusted issuer selected") })
        #expect(setup.serverA.requests.isEmpty && setup.serverB.requests.isEmpty)
    }

    @Test("a token without a string iss is refused before any request")
    func noIssuer() async throws {
        let setup = try TwoIssuers()
        defer { setup.stop() }
        let key = try #require(setup.a.key(.es256))
        let missing = try key.sign(claims: ["sub": "x", "exp": .integer(Int64(SystemClock.now() + 60))])
        let notString = try key.sign(claims: ["iss": .integer(1), "exp": .integer(Int64(SystemClock.now() + 60))])
        let missingError = await #expect(throws: LayabAuthError.self) { try await setup.verifier.verify(missing) }
        #expect(missingError?.code == .missingClaim)
        let notStringError = await #expect(throws: LayabAuthError.self) { try await setup.verifier.verify(notString) }
        #expect(notStringError?.code == .invalidClaim)
        #expect(setup.serverA.requests.isEmpty && setup.serverB.requests.isEmpty)
    }

    @Test("each issuer's configuration applies to its tokens, with iss checked against the selected issuer")
    func perIssuerConfiguration() async throws {
        let setup = try TwoIssuers(audience: "api")
        defer { setup.stop() }
        _ = try await setup.verifier.verify(try setup.a.token(claims: ["aud": "api"]))
        let error = await #expect(throws: LayabAuthError.self) { try await setup.verifier.verify(try setup.a.token(claims: ["aud": "other"])) }
        #expect(error?.code == .audienceMismatch)
        let report = await setup.verifier.report(try setup.b.token(claims: ["aud": "api"]))
        #expect(report.isValid)
        #expect(report.hints.contains { $0.contains("trusted issuer \"https://K.test\" selected") })
    }

    // A first version shared one VerifiedTokenCache among the issuers: a cache follows one key set, so each
    // issuer's token emptied it of the other's, and two issuers' tokens took turns in full verification.
    @Test("each issuer has a verified-token cache of its own: one issuer's tokens never evict another's")
    func tokenCache() async throws {
        let setup = try TwoIssuers()
        defer { setup.stop() }
        let caching = setup.verifier.cachingVerifiedTokens()
        let cached = try #require(caching as? MultiIssuerVerifier)
        let token = try setup.a.token()
        _ = try await caching.verify(token, requiring: nil)
        _ = try await caching.verify(try setup.b.token(), requiring: nil)
        _ = try await caching.verify(token, requiring: nil)
        #expect(cached.tokenCaches.map(\.count) == [1, 1])
        // A token claiming the other issuer is not answered from A's entry.
        let error = await #expect(throws: LayabAuthError.self) { try await caching.verify(try setup.a.token(claims: ["iss": .string(setup.b.name)]), requiring: nil) }
        #expect(error?.code == .badSignature)
    }

    @Test("one issuer whose endpoint hangs does not delay another's tokens")
    func hangingIssuer() async throws {
        let good = try TestIssuer(name: "https://good.test", algorithms: [.es256])
        let goodServer = try good.serve()
        defer { goodServer.stop() }
        let hanging = try TestHTTPServer { _ in TestHTTPServer.Response(stall: true) }
        defer { hanging.stop() }
        let verifier = try MultiIssuerVerifier([
            .issuer("https://slow.test", jwksURI: hanging.url("/jwks.json"), options: HTTPOptions(totalTimeout: 120)),
            .issuer(good.name, jwksURI: goodServer.url("/jwks.json")),
        ])
        let slowToken = try good.token(claims: ["iss": "https://slow.test"])
        let slowDone = Locked(false)
        let slow = Task {
            defer { slowDone.withLock { $0 = true } }
            return try await verifier.verify(slowToken)
        }
        // A hang guard, not a timing: the stalled request must have reached the server.
        #expect(await eventually(timeout: 60) { !hanging.requests.isEmpty })
        _ = try await verifier.verify(try good.token())
        // The slow issuer's request still hangs: the good issuer's token did not wait for it.
        #expect(!slowDone.withLock { $0 })
        slow.cancel()
        _ = await slow.result
    }
}

@Suite("Issuer templates: the tenant of iss is bound to tid, one key source for all tenants")
struct IssuerTemplateTests {
    static let template = "https://login.example/{tenantid}/v2.0"

    struct Provider {
        let keys: TestIssuer
        let server: TestHTTPServer

        init() throws {
            keys = try TestIssuer(name: "unused", algorithms: [.rs256])
            server = try keys.serve()
        }

        func verifier(tenants: [String]? = nil, capacity: Int = MultiIssuerVerifier.defaultTenantCapacity) throws -> MultiIssuerVerifier {
            try MultiIssuerVerifier([.template(IssuerTemplateTests.template, jwksURI: server.url("/jwks.json"), tenants: tenants)], tenantCapacity: capacity)
        }

        func token(tenant: String, tid: JSONValue?) throws -> String {
            var claims: JSONObject = ["iss": .string("https://login.example/\(tenant)/v2.0")]
            if let tid { claims["tid"] = tid }
            return try keys.token(claims: claims)
        }
    }

    @Test("a tid equal to the tenant of iss is accepted, and iss is checked as that tenant's issuer")
    func tenantMatch() async throws {
        let provider = try Provider()
        defer { provider.server.stop() }
        let verified = try await provider.verifier().verify(try provider.token(tenant: "t-1", tid: "t-1"))
        #expect(verified.claims.issuer == "https://login.example/t-1/v2.0")
        let report = await (try provider.verifier()).report(try provider.token(tenant: "t-1", tid: "t-1"))
        #expect(report.isValid)
        #expect(report.checks.contains { if $0.claim == "iss", case .passed = $0.outcome { true } else { false } })
        #expect(report.hints.contains { $0.contains("tenant \"t-1\"") })
    }

    static let refusals: [(name: String, tenant: String, tid: JSONValue?, tenants: [String]?, code: LayabAuthError.Code)] = [
        ("tid of another tenant", "t-1", "t-2", nil, .issuerMismatch),
        ("tid missing", "t-1", nil, nil, .missingClaim),
        ("tid not a string", "t-1", .integer(1), nil, .invalidClaim),
        ("tenant not allowed", "t-3", "t-3", ["t-1", "t-2"], .issuerMismatch),
        ("tid a look-alike", "K", "\u{212A}", nil, .issuerMismatch),
        ("two segments", "a/b", "a/b", nil, .issuerMismatch),
        ("empty tenant", "", "", nil, .issuerMismatch),
        ("query in the tenant", "t?x", "t?x", nil, .issuerMismatch),
    ]

    @Test("a tenant tid does not bind, or the allow-list lacks, is refused before any key is fetched", arguments: refusals.indices)
    func refusal(_ index: Int) async throws {
        let (_, tenant, tid, tenants, code) = Self.refusals[index]
        let provider = try Provider()
        defer { provider.server.stop() }
        let error = await #expect(throws: LayabAuthError.self) {
            try await provider.verifier(tenants: tenants).verify(try provider.token(tenant: tenant, tid: tid))
        }
        #expect(error?.code == code)
        #expect(provider.server.requests.isEmpty)
    }

    @Test("an exact issuer is chosen before a template that also covers it")
    func exactBeforeTemplate() async throws {
        let provider = try Provider()
        defer { provider.server.stop() }
        let own = try TestIssuer(name: "https://login.example/t-1/v2.0", algorithms: [.es256])
        let verifier = try MultiIssuerVerifier([
            .template(Self.template, jwksURI: provider.server.url("/jwks.json")),
            TrustedIssuer(match: .exact(own.name), source: StaticKeySource(own.keySet)),
        ])
        // No tid: the exact entry does not ask for one, and its keys (not the template's) verify the token.
        _ = try await verifier.verify(try own.token())
        #expect(provider.server.requests.isEmpty)
        #expect(verifier.selection(for: try own.token()).index == 1)
    }

    @Test("the allow-list accepts its tenants")
    func allowed() async throws {
        let provider = try Provider()
        defer { provider.server.stop() }
        _ = try await provider.verifier(tenants: ["t-1", "t-2"]).verify(try provider.token(tenant: "t-2", tid: "t-2"))
    }

    @Test("many tenants share one key source and one retrieval; the tenants kept are bounded")
    func bounded() async throws {
        let provider = try Provider()
        defer { provider.server.stop() }
        let verifier = try provider.verifier(capacity: 3).cachingVerifiedTokens()
        let multi = try #require(verifier as? MultiIssuerVerifier)
        for number in 0..<20 {
            _ = try await verifier.verify(try provider.token(tenant: "tenant-\(number)", tid: .string("tenant-\(number)")), requiring: nil)
        }
        #expect(multi.keySources.count == 1)
        #expect(provider.server.requestCount(path: "/jwks.json") == 1)
        #expect(multi.keptTenantCounts == [3])
    }

    static let badTemplates = [
        "https://login.example/v2.0", "https://login.example/{tenantid}/{tenantid}", "https://{tenantid}.example/v2.0",
        "ftp://login.example/{tenantid}", "https://login.example/a{tenantid}/v2.0", "https://login.example/{tenantid}b",
        "https://login.example/{tenantid}/v2.0?x=1", "https://login.example/{tenant}/{tenantid}", "login.example/{tenantid}",
    ]

    @Test("a template that is not one whole path segment of an http(s) URL is refused", arguments: badTemplates)
    func badTemplate(_ template: String) {
        let error = #expect(throws: LayabAuthError.self) { try IssuerTemplate(template) }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test("an allow-list entry that cannot be a tenant, no issuer, an empty issuer or one issuer twice is refused")
    func badConfigurations() throws {
        let source = StaticKeySource(.empty)
        let template = try IssuerTemplate(Self.template)
        #expect(throws: LayabAuthError.self) { try TrustedIssuer(match: .template(template, tenants: ["a/b"]), source: source) }
        #expect(throws: LayabAuthError.self) { try TrustedIssuer(match: .template(template, tenants: [""]), source: source) }
        #expect(throws: LayabAuthError.self) { try MultiIssuerVerifier([]) }
        #expect(throws: LayabAuthError.self) { try TrustedIssuer(match: .exact(""), source: source) }
        let one = try TrustedIssuer(match: .exact("https://a.test"), source: source)
        #expect(throws: LayabAuthError.self) { try MultiIssuerVerifier([one, one]) }
    }
}
