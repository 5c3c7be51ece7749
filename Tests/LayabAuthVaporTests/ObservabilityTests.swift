#if Vapor
import InMemoryTracing
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import LayabAuthVapor
import MetricsTestKit
import Testing
import Tracing
import Vapor

/// Issue 18 in the Vapor integration: the verification span is a child of the request's span, and a refusal
/// is logged to the request's logger (with its request id), over real HTTP on 127.0.0.1.
@Suite("Vapor: verification spans and refusal logs belong to the request", .serialized)
struct ObservabilityTests {
    /// What a tracing middleware does (Vapor's `TracingMiddleware` with the bootstrapped tracer): a server span
    /// around the rest of the chain, bound as the task's current context.
    struct RequestSpan: AsyncMiddleware {
        let tracer: InMemoryTracer
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            try await tracer.withSpan("GET \(request.url.path)", ofKind: .server) { _ in try await next.respond(to: request) }
        }
    }

    @Test("the span of each verification has the request's span as parent; the refusal's debug line carries the request id")
    func spansAndLogs() async throws {
        let issuer = try TestIssuer()
        let tracer = InMemoryTracer()
        let metrics = TestMetrics()
        let logs = LogRecorder()
        let verifier = try JWKSVerifier(source: StaticKeySource(issuer.keySet),
                                        observability: Observability(logger: LogRecorder().logger(), metrics: metrics, tracer: tracer))
        let app = try await Application.make(.testing)
        app.logger = logs.logger(label: "api", level: .debug)
        app.grouped(RequestSpan(tracer: tracer), BearerTokenAuthenticator(verifier: verifier), RequireBearerToken())
            .get("me") { req in try req.auth.require(VerifiedToken.self).claims.subject ?? "" }
        let valid = try issuer.token(claims: ["sub": "alice"])
        let expired = try issuer.token(claims: ["sub": "bob"], lifetime: -120)
        do {
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            let ok = try await app.client.get("http://127.0.0.1:\(port)/me", headers: ["Authorization": "Bearer \(valid)"])
            #expect(ok.status == .ok)
            let refused = try await app.client.get("http://127.0.0.1:\(port)/me", headers: ["Authorization": "Bearer \(expired)"])
            #expect(refused.status == .unauthorized)
        } catch {
            await app.server.shutdown()
            try await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
        let finished = tracer.finishedSpans
        let requests = finished.filter { $0.operationName == "GET /me" }
        let verifications = finished.filter { $0.operationName == "layabauth.verify" }
        #expect(requests.count == 2 && verifications.count == 2)
        for (request, verification) in zip(requests, verifications) {
            #expect(verification.parentSpanID == request.spanID && verification.traceID == request.traceID)
        }
        #expect(verifications.map { $0.attributes["layabauth.outcome"]?.toSpanAttribute() } == ["valid", "expired"])
        let refusal = try #require(logs.entries.first { $0.message.hasPrefix("token refused: expired") }, "\(logs.entries)")
        #expect(refusal.label == "api")
        #expect(refusal.metadata["request-id"] != nil, "\(refusal)")
        #expect(refusal.metadata["token.sha256"] == Observability.tokenDigest(expired))
        #expect(metrics.counterTotal(label: MetricName.verifications) == 2)
    }
}
#endif
