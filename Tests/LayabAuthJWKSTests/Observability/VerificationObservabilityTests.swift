import InMemoryTracing
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import MetricsTestKit
import Testing
import Tracing

/// Issue 18: what the server path counts, times, traces and logs, through an `Observability` of the test's
/// own (TestMetrics, InMemoryTracer, LogRecorder): never the process-wide systems.
@Suite("Observability of verification: counters, timers, spans and refusal logs")
struct VerificationObservabilityTests {
    let issuer: TestIssuer
    let metrics = TestMetrics()
    let tracer = InMemoryTracer()
    let logs = LogRecorder()

    init() throws {
        issuer = try TestIssuer()
    }

    func verifier(labelsKid: Bool = false, cache: Bool = true) throws -> JWKSVerifier {
        try JWKSVerifier(source: StaticKeySource(issuer.keySet), tokenCache: cache ? VerifiedTokenCache() : nil,
                         observability: Observability(logger: logs.logger(), metrics: metrics, tracer: tracer, labelsKid: labelsKid))
    }

    func request(_ token: String, scheme: String = "Bearer", proof: String? = nil) -> RequestCredentials {
        RequestCredentials(authorizationValues: ["\(scheme) \(token)"], dpopHeaderValues: proof.map { [$0] } ?? [],
                           method: "GET", target: "/orders")
    }

    func verifications(_ outcome: String, scheme: String = "bearer") -> Int64 {
        metrics.counterTotal(label: MetricName.verifications, dimensions: [("outcome", outcome), ("verifier", "jwks"), ("scheme", scheme)])
    }

    @Test("each request is counted by outcome, and the cache's hits and misses are counted and timed apart")
    func countsAndTimes() async throws {
        let verifier = try verifier()
        let valid = try issuer.token(claims: ["sub": "alice"])
        for _ in 0..<3 { _ = try await verifier.verify(request(valid), constraints: .bearerOnly) }
        let expired = try issuer.token(claims: ["sub": "bob"], lifetime: -120)
        let forged = try issuer.forged(.tamperedSignature, claims: ["sub": "mallory"])
        for token in [expired, forged, expired] {
            await #expect(throws: LayabAuthError.self) { try await verifier.verify(request(token), constraints: .bearerOnly) }
        }
        #expect(verifications("valid") == 3)
        #expect(verifications("expired") == 2)
        #expect(verifications("bad_signature") == 1)
        #expect(metrics.counterTotal(label: MetricName.verifications) == 6)
        #expect(metrics.counterTotal(label: MetricName.tokenCacheLookups, dimensions: [("result", "hit")]) == 2)
        #expect(metrics.counterTotal(label: MetricName.tokenCacheLookups, dimensions: [("result", "miss")]) == 4)
        let hits = try metrics.expectTimer(MetricName.verificationDuration, [("verifier", "jwks"), ("cache", "hit")])
        let misses = try metrics.expectTimer(MetricName.verificationDuration, [("verifier", "jwks"), ("cache", "miss")])
        #expect(hits.values.count == 2)
        #expect(misses.values.count == 4)
        #expect(hits.values.allSatisfy { $0 > 0 })
        // A request without a credential is another authenticator's: not a verification.
        _ = try await verifier.verify(RequestCredentials(authorizationValues: [], method: "GET", target: "/"), constraints: .bearerOnly)
        #expect(metrics.counterTotal(label: MetricName.verifications) == 6)
    }

    @Test("kid is a label only when the application opts in")
    func kidLabel() async throws {
        let token = try issuer.token(claims: ["sub": "alice"])
        let kid = try #require(try DecodedToken.decode(token).header.kid)
        _ = try await verifier().verify(request(token), constraints: .bearerOnly)
        #expect(metrics.counters(label: MetricName.verifications).allSatisfy { counter in !counter.dimensions.contains { $0.0 == "kid" } })
        _ = try await verifier(labelsKid: true).verify(request(token), constraints: .bearerOnly)
        #expect(metrics.counterTotal(label: MetricName.verifications,
                                     dimensions: [("outcome", "valid"), ("verifier", "jwks"), ("scheme", "bearer"), ("kid", kid)]) == 1)
    }

    @Test("a refusal is logged at debug with its whole message and the token's digest, kid, iss and sub; never the token")
    func refusalLog() async throws {
        let verifier = try verifier()
        let expired = try issuer.token(claims: ["sub": "bob\u{1B}[31m"], lifetime: -120)
        await #expect(throws: LayabAuthError.self) { try await verifier.verify(request(expired), constraints: .bearerOnly) }
        let line = try #require(logs.entries.first { $0.message.hasPrefix("token refused: expired: ") }, "\(logs.entries)")
        #expect(line.level == .debug)
        #expect(line.metadata["token.sha256"] == Observability.tokenDigest(expired))
        #expect(line.metadata["token.sha256"]?.count == 12)
        #expect(line.metadata["token.kid"] == (try DecodedToken.decode(expired).header.kid))
        #expect(line.metadata["token.iss"] == issuer.name)
        // A claimed value cannot write control sequences into a terminal that shows the log.
        #expect(line.metadata["token.sub"] == "bob\\u{1b}[31m")
        #expect(line.metadata["layabauth.outcome"] == "expired")
        let segments = expired.split(separator: ".")
        for entry in logs.entries {
            #expect(!entry.description.contains(segments[1]) && !entry.description.contains(segments[2]), "\(entry)")
        }
        // Above debug, the refusal is counted but not logged.
        let quiet = try JWKSVerifier(source: StaticKeySource(issuer.keySet), observability: Observability(logger: LogRecorder().logger(level: .info), metrics: metrics))
        await #expect(throws: LayabAuthError.self) { try await quiet.verify(request(expired), constraints: .bearerOnly) }
        #expect(verifications("expired") == 2)
    }

    @Test("a verification span is a child of the request's span, with algorithm, kid, outcome and cache use")
    func spans() async throws {
        let verifier = try verifier()
        let token = try issuer.token(claims: ["sub": "alice"], algorithm: .es256)
        let forged = try issuer.forged(.tamperedSignature)
        try await tracer.withSpan("GET /orders", ofKind: .server) { _ in
            _ = try await verifier.verify(request(token), constraints: .bearerOnly)
            _ = try await verifier.verify(request(token), constraints: .bearerOnly)
            _ = try? await verifier.verify(request(forged), constraints: .bearerOnly)
        }
        let finished = tracer.finishedSpans
        let parent = try #require(finished.first { $0.operationName == "GET /orders" })
        let verifications = finished.filter { $0.operationName == "layabauth.verify" }
        #expect(verifications.count == 3)
        #expect(verifications.allSatisfy { $0.parentSpanID == parent.spanID && $0.traceID == parent.traceID })
        #expect(verifications.map { $0.attributes["layabauth.outcome"]?.toSpanAttribute() } == ["valid", "valid", "bad_signature"])
        #expect(verifications.map { $0.attributes["layabauth.cache_hit"]?.toSpanAttribute() } == [false, true, false])
        #expect(verifications[0].attributes["layabauth.alg"]?.toSpanAttribute() == "ES256")
        #expect(verifications[1].attributes["layabauth.kid"]?.toSpanAttribute() == (try DecodedToken.decode(token).header.kid).map { .string($0) })
        #expect(verifications[2].status?.code == .error)
        // No token in any attribute.
        for span in verifications {
            span.attributes.forEach { _, value in #expect(!"\(value)".contains(token.split(separator: ".")[2])) }
        }
    }

    @Test("a DPoP proof used twice is counted as a replay, and the request by scheme dpop")
    func dpopReplay() async throws {
        let verifier = try verifier()
        let key = try TestIssuer.dpopKey()
        let token = try issuer.dpopBoundToken(to: key, claims: ["sub": "alice"])
        let proof = try TestIssuer.dpopProof(method: "GET", url: "https://api.test/orders", accessToken: token, key: key)
        let constraints = SenderConstraints(origin: "https://api.test")
        _ = try await verifier.verify(request(token, scheme: "DPoP", proof: proof), constraints: constraints)
        await #expect(throws: LayabAuthError.self) {
            try await verifier.verify(request(token, scheme: "DPoP", proof: proof), constraints: constraints)
        }
        #expect(verifications("valid", scheme: "dpop") == 1)
        #expect(verifications("invalid_dpop_proof", scheme: "dpop") == 1)
        #expect(metrics.counterTotal(label: MetricName.dpopReplaysRefused) == 1)
        // Another DPoP refusal is no replay.
        let other = try TestIssuer.dpopProof(method: "POST", url: "https://api.test/orders", accessToken: token, key: key)
        await #expect(throws: LayabAuthError.self) {
            try await verifier.verify(request(token, scheme: "DPoP", proof: other), constraints: constraints)
        }
        #expect(verifications("invalid_dpop_proof", scheme: "dpop") == 2)
        #expect(metrics.counterTotal(label: MetricName.dpopReplaysRefused) == 1)
    }
}
