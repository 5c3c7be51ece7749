import LayabAuth
import Logging

extension TokenVerifying {
    /// The one server path of both integrations: reads the request's credential, verifies the token, then
    /// proves its binding (DPoP proof, client certificate) under `constraints`.
    ///
    /// Each request with a credential is counted by outcome (``MetricName/verifications``), and a refusal is
    /// logged at debug to `logger` (the request's, in the integrations; else the verifier's) with its whole
    /// message, which the client may not see, and the token named by digest, `kid`, `iss` and `sub`.
    /// - Returns: the verified token with its binding; nil when the request carries no credential of an
    ///   accepted scheme (another authenticator's business).
    /// - Throws: any refusal, already carrying the DPoP challenge the constraints call for.
    public func verify(_ request: RequestCredentials, constraints: SenderConstraints, logger: Logger? = nil) async throws(LayabAuthError) -> VerifiedToken? {
        var presentation: TokenPresentation?
        var credential: AuthorizationCredential?
        do {
            guard let read = try BearerCredential.credential(fromAuthorizationValues: request.authorizationValues, maximumSize: maximumTokenSize),
                  constraints.accepts(read.scheme) else { return nil }
            credential = read
            presentation = try constraints.presentation(of: read, in: request)
            var token = try await verify(read.token, requiring: nil)
            if let presentation, !constraints.policy.bindingChangesNothing(for: token, presentedAs: presentation) {
                token = try await constraints.policy.verifyBinding(of: token, presentedAs: presentation)
            }
            verificationMetrics(for: read.token).recordOutcome("valid", scheme: read.scheme.metricLabel, kid: token.header?.kid)
            return token
        } catch {
            let metrics = verificationMetrics(for: credential?.token ?? "")
            RefusalLog.record(error, token: credential?.token, scheme: credential?.scheme, metrics: metrics,
                              logger: logger ?? metrics.observability.logger, maximumTokenSize: maximumTokenSize)
            // A binding refusal carries its challenge already (the token's binding decides the scheme).
            if error.dpop != nil { throw error }
            throw constraints.policy.answering(error, presentation: presentation)
        }
    }
}
