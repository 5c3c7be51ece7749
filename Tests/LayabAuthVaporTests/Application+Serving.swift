#if Vapor
import Testing
import Vapor

extension Application {
    /// Starts this application's server on 127.0.0.1 (a free port), runs `body` with the port, then shuts the
    /// server and the application down, whether `body` throws or not.
    func serving(_ body: (Int) async throws -> Void) async throws {
        do {
            try await server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(http.server.shared.localAddress?.port)
            try await body(port)
        } catch {
            await server.shutdown()
            try await asyncShutdown()
            throw error
        }
        await server.shutdown()
        try await asyncShutdown()
    }
}
#endif
