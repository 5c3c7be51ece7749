import LayabAuth
import LayabConsole

extension InspectorState {
    /// `F`: asks the runtime for a new token, unless one is on its way or the inspector fetches none.
    mutating func requestToken() -> [Effect] {
        guard var fetching = tokenFetching else {
            notice = "no provider to fetch from: start with --client-id and --client-secret-file (or --client-key)"
            return []
        }
        guard !fetching.isFetching else {
            notice = "a token is already being fetched"
            return []
        }
        fetching.isFetching = true
        tokenFetching = fetching
        notice = "fetching a new token…"
        return [.fetchToken]
    }

    /// A new token is due (the fetched one expired): the effect that fetches it, once.
    package mutating func dueTokenFetch(now: Double) -> Effect? {
        guard let fetching = tokenFetching, fetching.isDue(now: now) else { return nil }
        tokenFetching?.isFetching = true
        notice = "the fetched token expired: fetching a new one…"
        return .fetchToken
    }

    /// Shows the token the provider sent, as any token given, and records it in the history as "fetched".
    package mutating func tokenFetched(_ response: TokenResponse, now: Double) {
        let expiry = (try? Verifier.decodeUnverified(response.accessToken))?.claims?.expiresAt
        tokenFetching?.received(response, at: now, tokenExpiry: expiry)
        tokenChoice = nil
        tokenText = response.accessToken
        editing = nil
        resetScrolling()
        history.record(tokenText, origin: "fetched")
        leaveDemoForOwnToken()
        notice = "fetched token \(tokenFetching?.fetchCount ?? 1) from the provider"
    }

    /// The provider gave no token: the panel says why (the reason carries no secret).
    package mutating func tokenFetchFailed(_ reason: String) {
        tokenFetching?.failed(reason)
        notice = "no token fetched: F tries again"
    }
}
