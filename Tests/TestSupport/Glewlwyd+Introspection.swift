import Foundation
import LayabAuth
import LayabAuthJWKS

/// glewlwyd's RFC 7662 introspection and RFC 7009 revocation endpoints, which a confidential client may call
/// for its own tokens (`introspection-revocation-allow-target-client`).
extension Glewlwyd {
    package var revocationEndpoint: String { issuer + "/revoke" }

    /// The client's secret, for the library's `ClientAuthentication`.
    package func secret(of client: Client) throws -> String {
        try String(contentsOfFile: client.secretFile, encoding: .utf8)
    }

    /// Revokes `token` (RFC 7009) as `client`; returns the HTTP status (200 when revoked).
    package func revoke(_ token: String, client: Client) async throws -> Int {
        let basic = ClientAuthentication.basic(secret: try secret(of: client))
        let credentials = try basic.credentials(clientID: client.id, endpoint: revocationEndpoint, now: Date().timeIntervalSince1970)
        let response = try await HTTPClient.post(revocationEndpoint, form: credentials.form + [("token", token), ("token_type_hint", "access_token")],
                                                 headers: credentials.headers, options: HTTPOptions())
        return response.status
    }
}
