import InMemoryTracing
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Testing
import Tracing

/// A verifier built with the default tracer (none of its own) asks at each verification which tracer is active,
/// so that one installed after the verifier was built is used. The check that skips tracing when none is active
/// must not hide one bound to the task.
@Suite("Observability: a tracer that becomes active after the verifier was built")
struct LateTracerTests {
    @Test("a tracer bound to the task later gets the span; outside it, nothing is recorded")
    func taskBoundTracer() async throws {
        let issuer = try TestIssuer()
        let verifier = try JWKSVerifier(source: StaticKeySource(issuer.keySet), tokenCache: VerifiedTokenCache())
        let token = try issuer.token(claims: ["sub": "alice"])
        let tracer = InMemoryTracer()
        _ = try await verifier.verify(token)
        #expect(tracer.finishedSpans.isEmpty)
        try await withTracer(tracer) {
            _ = try await verifier.verify(token)
            _ = try await verifier.verify(token)
        }
        let spans = tracer.finishedSpans.filter { $0.operationName == "layabauth.verify" }
        #expect(spans.count == 2)
        #expect(spans.last?.attributes["layabauth.cache_hit"]?.toSpanAttribute() == true)
        _ = try await verifier.verify(token)
        #expect(tracer.finishedSpans.filter { $0.operationName == "layabauth.verify" }.count == 2)
    }
}
