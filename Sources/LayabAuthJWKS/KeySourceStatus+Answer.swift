import LayabAuth

/// The answer of a server whose key source fails, written once for ``JWKSVerifier`` and for the inspector,
/// which keeps a source's keys and status instead of a ``KeySource`` and must answer as a server would.
extension KeySourceStatus {
    /// What the source answers a lookup with while its last retrieval failed — the error ``RemoteKeySource`` and
    /// ``DiscoveryKeySource`` throw during their back-off: `jwks_unavailable` with the cause, retrying after the
    /// seconds left until the next attempt. Nil while the source works.
    public func unavailableError(now: Double) -> LayabAuthError? {
        guard let lastError else { return nil }
        let error = LayabAuthError(.jwksUnavailable, lastError.message)
        guard let retryNotBefore else { return error }
        return error.retrying(after: retryNotBefore - now)
    }
}

extension VerificationReport {
    /// The `kid` a server looks up at its key source for this token: no key had it, so its signature was not
    /// checked. Nil for every other outcome.
    public var unknownKid: String? {
        guard case let .unverified(error) = signature, error.code == .keyNotFound else { return nil }
        return decoded?.header.kid
    }

    /// This report as a server whose key source is in `status` gives it, while the source fails: with no keys
    /// at all, no token is judged; with keys, a token whose `kid` they lack is not (the source's refresh for it
    /// fails). Either is `jwks_unavailable` (503), as ``JWKSVerifier/report(_:requiring:authentication:)`` reports it.
    public func answered(byKeySource status: KeySourceStatus?, now: Double) -> VerificationReport {
        guard let status, status.keys == nil || unknownKid != nil, let error = status.unavailableError(now: now) else { return self }
        return withSignature(.unverified(error))
    }
}
