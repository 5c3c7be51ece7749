#if Hummingbird
import LayabAuthJWKS
import TestSupport
import Testing

@Suite("Hummingbird example: GET /metrics")
struct HummingbirdExampleMetricsTests {
    @Test("--metrics: the verification counters move by exactly the valid and refused requests sent")
    func countersMoveByWhatWasSent() async throws {
        try await OwnThread.run { try ExampleMetricsCheck.run("hummingbird-example") }
    }
}
#endif
