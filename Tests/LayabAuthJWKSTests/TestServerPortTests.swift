import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// A stopped test server stands for a provider that is down: its port must refuse connections for as long as
/// the test holds the server, never reach another test's server that was given the same port.
@Suite("Test server: a stopped server's port stays refused")
struct TestServerPortTests {
    @Test("after stop(), the port cannot be bound by anyone else and connections are refused")
    func portHeld() async throws {
        let server = try TestHTTPServer { _ in .json("{}") }
        server.stop()
        #expect(throws: POSIXError.self) { _ = try LoopbackSocket.bind(port: server.port) }
        let source = try RemoteKeySource(.http(server.url("/jwks.json")))
        let error = await #expect(throws: LayabAuthError.self) { _ = try await source.currentKeys() }
        #expect(error?.message.contains("connection refused") == true, "\(error?.message ?? "")")
        withExtendedLifetime(server) {}
    }
}
