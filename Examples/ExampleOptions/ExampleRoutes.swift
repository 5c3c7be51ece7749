import LayabAuth

/// The body of GET /me, /admin and /payments in both example apps.
public struct Me: Codable, Sendable {
    public let sub: String?
    public let scopes: [String]
    /// The client the token was issued to (RFC 9068 `client_id`), when it names one.
    public let clientID: String?

    enum CodingKeys: String, CodingKey {
        case sub, scopes
        case clientID = "client_id"
    }

    public init(_ token: VerifiedToken) {
        sub = token.claims.subject
        scopes = token.scopes
        clientID = token.clientID
    }
}

/// What GET /payments requires of the login: multi-factor, within the last 5 minutes (RFC 9470).
public let paymentsLogin = AuthenticationRequirement(acceptedACRs: ["urn:example:mfa"], maxAge: 300)
