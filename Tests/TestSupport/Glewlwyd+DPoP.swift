import Foundation
import LayabAuth
import LayabAuthJWKS

/// glewlwyd's DPoP (RFC 9449 §5): a client-credentials request with a `DPoP` proof gets a token bound to the
/// proof's key (`cnf.jkt`), with `token_type` `DPoP`.
extension Glewlwyd {
    /// Asks the token endpoint for a client-credentials token, sending `proof` (made for `POST` and
    /// ``tokenEndpoint``) in the `DPoP` header.
    package func dpopClientCredentialsToken(client: Client, proof: String, scope: String = Glewlwyd.scope) async throws -> TokenResponse {
        let basic = ClientAuthentication.basic(secret: try String(contentsOfFile: client.secretFile, encoding: .utf8))
        let credentials = try basic.credentials(clientID: client.id, endpoint: tokenEndpoint, now: Date().timeIntervalSince1970)
        let response = try await HTTPClient.post(tokenEndpoint, form: credentials.form + [("grant_type", "client_credentials"), ("scope", scope)],
                                                 headers: credentials.headers + ["DPoP: \(proof)"], options: HTTPOptions())
        return TokenResponse(status: response.status, body: String(decoding: response.body, as: UTF8.self))
    }
}
