#if Hummingbird
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import HummingbirdTesting
import InMemoryTracing
import LayabAuth
import LayabAuthHummingbird
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import MetricsTestKit
import Testing
import Tracing

/// Issue 18 in the Hummingbird integration: the verification span is a child of the request's span, and a
/// refusal is logged to the request's logger (with its request id), over real HTTP on 127.0.0.1.
@Suite("Hummingbird: verification spans and refusal logs belong to the request")
struct ObservabilityTests {
    /// What a tracing middleware does (Hummingbird's `TracingMiddleware` with the bootstrapped tracer): a
    /// server span around the rest of the chain, bound as the task's current context.
    struct RequestSpan<Context: RequestContext>: RouterMiddleware {
        let tracer: InMemoryTracer
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            try await tracer.withSpan("GET \(request.uri.path)", ofKind: .server) { _ in try await next(request, context) }
        }
    }

    @Test("the span of each verification has the request's span as parent; the refusal's debug line carries the request id")
    func spansAndLogs() async throws {
        let observed = try RequestObservability()
        let (tracer, verifier, valid, expired) = (observed.tracer, observed.verifier, observed.valid, observed.expired)
        let router = Router(context: BasicAuthRequestContext<VerifiedToken>.self)
        router.add(middleware: RequestSpan(tracer: tracer))
        router.add(middleware: BearerTokenAuthenticator(verifier: verifier))
        router.add(middleware: RequireBearerToken())
        router.get("me") { _, context in try context.requireIdentity().claims.subject ?? "" }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: observed.requestLogger)
        try await app.test(.live) { client in
            let ok = try await client.execute(uri: "/me", method: .get, headers: [.authorization: "Bearer \(valid)"])
            #expect(ok.status == .ok)
            let refused = try await client.execute(uri: "/me", method: .get, headers: [.authorization: "Bearer \(expired)"])
            #expect(refused.status == .unauthorized)
        }
        try observed.expect(requestIDKey: "hb.request.id")
    }
}
#endif
