extension VerificationReport {
    /// This report with `hint` first among the hints about claims (kept whatever the signature's outcome):
    /// how a verifier in front of the `Verifier` chose what to verify with (the issuer it selected).
    public func addingHint(_ hint: String) -> VerificationReport {
        VerificationReport(decoded: decoded, decodingError: decodingError, signature: signature, checks: checks, scopes: scopes,
                           hints: signatureHints, claimHints: [hint] + claimHints)
    }
}
