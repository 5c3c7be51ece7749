import LayabAuth
import LayabAuthTesting

/// An issuer, a verifier for its tokens and a client's DPoP key: what every binding test starts from.
struct DPoPFixture {
    static let url = "https://api.example.com/orders"
    let issuer: TestIssuer
    let verifier: Verifier
    let clientKey: SigningKey
    let now: Double

    init() throws {
        issuer = try TestIssuer(algorithms: [.es256])
        verifier = try Verifier(keys: issuer.keySet, configuration: VerifierConfiguration(issuers: [issuer.name]))
        clientKey = try TestIssuer.dpopKey()
        now = SystemClock.now()
    }

    /// A DPoP-bound token for the client's key.
    func boundToken(claims: JSONObject = [:]) throws -> String { try issuer.dpopBoundToken(to: clientKey, claims: claims, now: now) }

    /// A proof by the client's key (or `key`) for `token`.
    func proof(for token: String?, method: String = "GET", url: String = DPoPFixture.url, nonce: String? = nil, key: SigningKey? = nil,
               jti: String = "jti-1", age: Double = 0, claims: JSONObject = [:], header: JSONObject = [:]) throws -> String
    {
        try TestIssuer.dpopProof(method: method, url: url, accessToken: token, nonce: nonce, key: key ?? clientKey, jti: jti, now: now - age,
                                 claims: claims, header: header)
    }

    /// Verifies `token` and its binding as a server does.
    func verify(_ token: String, scheme: TokenPresentation.Scheme = .dpop, proofs: [String], method: String = "GET",
                uri: String = DPoPFixture.url, certificate: String? = nil,
                policy: SenderConstraintPolicy = SenderConstraintPolicy()) async throws(LayabAuthError) -> VerifiedToken
    {
        let verified = try verifier.verify(token)
        let presentation = TokenPresentation(scheme: scheme, dpopProofs: proofs, method: method, uri: uri, clientCertificateThumbprint: certificate)
        return try await policy.verifyBinding(of: verified, presentedAs: presentation, now: now)
    }

    /// The error of `verify`, nil when it succeeds.
    func refusal(_ token: String, scheme: TokenPresentation.Scheme = .dpop, proofs: [String], method: String = "GET",
                 uri: String = DPoPFixture.url, certificate: String? = nil,
                 policy: SenderConstraintPolicy = SenderConstraintPolicy()) async -> LayabAuthError?
    {
        do {
            _ = try await verify(token, scheme: scheme, proofs: proofs, method: method, uri: uri, certificate: certificate, policy: policy)
            return nil
        } catch {
            return error
        }
    }
}
