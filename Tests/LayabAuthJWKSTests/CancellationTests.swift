import Foundation
import LayabAuth
@testable import LayabAuthJWKS
import LayabAuthTesting
import Testing

@Suite("Cancellation")
struct CancellationTests {
    @Test("cancelling the task aborts a transfer stuck on a silent server")
    func cancel() async throws {
        let server = try TestHTTPServer { _ in TestHTTPServer.Response(stall: true) }
        defer { server.stop() }
        let started = Date()
        let task = Task { try await HTTPClient.get(server.url("/jwks.json"), options: HTTPOptions(totalTimeout: 60)) }
        #expect(await eventually(timeout: 60) { server.requests.count == 1 })
        task.cancel()
        await expectError(containing: "cancelled") { _ = try await task.value }
        // "cancelled" is the transfer's own verdict; without the cancellation it would end after 60 s
        // with a timeout. Wall-clock time is only a sanity check on a loaded machine.
        #expect(Date().timeIntervalSince(started) < 59)
    }
}
