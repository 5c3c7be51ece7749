import LayabAuth

/// A source's completed retrieval attempts and the back-off after a failed one: the rule
/// ``KeyCachePolicy/retryAfterFailure`` sets, for key sets (``KeySetCache``) and discovery alike.
///
/// An attempt abandoned by all its waiters is not recorded: it says nothing about the provider.
struct RetrievalAttempts: Sendable {
    /// Completed attempts, successful or not.
    private(set) var count = 0
    /// The last failure; kept until an attempt succeeds.
    private(set) var lastError: LayabAuthError?
    /// No new attempt before this time (seconds since 1970), set by the last failure and not cleared
    /// by a success.
    private(set) var retryNotBefore: Double = 0

    /// After a failure, when the source may try again; nil when the last attempt succeeded.
    var nextAttempt: Double? { lastError == nil ? nil : retryNotBefore }

    /// Whether the back-off lets a new attempt start at `now`.
    func allowsAttempt(now: Double) -> Bool { now >= retryNotBefore }

    /// The last failure, carrying the time left until the next attempt; nil when the last attempt succeeded.
    func lastFailure(now: Double) -> LayabAuthError? {
        lastError?.retrying(after: retryNotBefore - now)
    }

    /// The last failure, while the back-off after it lasts: a caller with nothing to serve gets it
    /// instead of a new attempt.
    func refusal(now: Double) -> LayabAuthError? {
        allowsAttempt(now: now) ? nil : lastFailure(now: now)
    }

    mutating func succeeded() {
        count += 1
        lastError = nil
    }

    /// Records `error` and starts the back-off.
    /// - Returns: `error`, carrying the back-off's length as its retry time.
    mutating func failed(_ error: LayabAuthError, now: Double, policy: KeyCachePolicy) -> LayabAuthError {
        count += 1
        lastError = error
        retryNotBefore = now + policy.retryAfterFailure
        return error.retrying(after: policy.retryAfterFailure)
    }
}
