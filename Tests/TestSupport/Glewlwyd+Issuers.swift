import Foundation

extension Glewlwyd {
    /// Two instances, two issuers with keys of their own: for verifiers that trust several issuers. Stop both
    /// with ``stop()`` on each.
    package static func startTwo() async throws -> (Glewlwyd, Glewlwyd) {
        let first = try await start()
        do {
            return (first, try await start())
        } catch {
            first.stop()
            throw error
        }
    }

    /// A client-credentials access token of the client signing with `algorithm`.
    package func accessToken(_ algorithm: String = Glewlwyd.algorithms[0]) async throws -> String {
        let response = try await clientCredentialsToken(client: try client(algorithm))
        guard let token = response.accessToken else {
            throw Failure(description: "\(tokenEndpoint) answered \(response.status): \(response.body.prefix(200))")
        }
        return token
    }
}
