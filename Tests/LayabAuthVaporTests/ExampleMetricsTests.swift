#if Vapor
import LayabAuthJWKS
import TestSupport
import Testing

@Suite("Vapor example: GET /metrics")
struct VaporExampleMetricsTests {
    @Test("--metrics: the verification counters move by exactly the valid and refused requests sent")
    func countersMoveByWhatWasSent() async throws {
        try await OwnThread.run { try ExampleMetricsCheck.run("vapor-example") }
    }
}
#endif
