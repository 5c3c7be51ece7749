extension VerifiedToken {
    /// Checks a route's step-up requirement on this token (RFC 9470): one line in a server integration, next
    /// to its scope check.
    /// - Parameters:
    ///   - now: the current time in seconds since 1970 (a verifier's `configuration.clock()`).
    ///   - leeway: the seconds allowed beyond `max_age` (a verifier's `configuration.leeway`).
    /// - Throws: `insufficient_user_authentication` (401, with `acr_values` and `max_age` in its challenge).
    public func check(_ requirement: AuthenticationRequirement, now: Double, leeway: Double) throws(LayabAuthError) {
        try requirement.check(claims, now: now, leeway: leeway)
    }

    /// ``check(_:now:leeway:)`` at the time and leeway of `configuration`.
    public func check(_ requirement: AuthenticationRequirement, configuration: VerifierConfiguration) throws(LayabAuthError) {
        try requirement.check(claims, now: configuration.clock(), leeway: configuration.leeway)
    }
}
