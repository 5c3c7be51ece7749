import LayabAuth

extension TokenVerifying {
    /// The one server path of both integrations: reads the request's credential, verifies the token, then
    /// proves its binding (DPoP proof, client certificate) under `constraints`.
    /// - Returns: the verified token with its binding; nil when the request carries no credential of an
    ///   accepted scheme (another authenticator's business).
    /// - Throws: any refusal, already carrying the DPoP challenge the constraints call for.
    public func verify(_ request: RequestCredentials, constraints: SenderConstraints) async throws(LayabAuthError) -> VerifiedToken? {
        var presentation: TokenPresentation?
        do {
            guard let credential = try BearerCredential.credential(fromAuthorizationValues: request.authorizationValues, maximumSize: maximumTokenSize),
                  constraints.accepts(credential.scheme) else { return nil }
            presentation = try constraints.presentation(of: credential, in: request)
            let token = try await verify(credential.token, requiring: nil)
            guard let presentation else { return token }
            return try await constraints.policy.verifyBinding(of: token, presentedAs: presentation)
        } catch {
            // A binding refusal carries its challenge already (the token's binding decides the scheme).
            if error.dpop != nil { throw error }
            throw constraints.policy.answering(error, presentation: presentation)
        }
    }
}
