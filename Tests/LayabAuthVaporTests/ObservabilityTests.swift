#if Vapor
import InMemoryTracing
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
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
        let observed = try RequestObservability()
        let (tracer, verifier, valid, expired) = (observed.tracer, observed.verifier, observed.valid, observed.expired)
        let app = try await Application.make(.testing)
        app.logger = observed.requestLogger
        app.grouped(RequestSpan(tracer: tracer), BearerTokenAuthenticator(verifier: verifier), RequireBearerToken())
            .get("me") { req in try req.auth.require(VerifiedToken.self).claims.subject ?? "" }
        try await app.serving { port in
            let ok = try await app.client.get("http://127.0.0.1:\(port)/me", headers: ["Authorization": "Bearer \(valid)"])
            #expect(ok.status == .ok)
            let refused = try await app.client.get("http://127.0.0.1:\(port)/me", headers: ["Authorization": "Bearer \(expired)"])
            #expect(refused.status == .unauthorized)
        }
        try observed.expect(requestIDKey: "request-id")
    }
}
#endif
