import LayabConsole

/// The token the inspector fetches from a provider itself (client credentials): what it asked for, what the
/// provider last answered, and when the token is due to be fetched again.
package struct TokenFetching: Sendable {
    /// The token endpoint, in words, for the screen.
    package let endpoint: String
    /// The scopes asked for (empty: the provider's default).
    package let requestedScopes: [String]
    /// A request is under way.
    package var isFetching = false
    /// The device grant's code and where the person enters it, until they approve (or the fetch fails).
    package var awaitingApproval: DeviceAuthorization?
    /// Tokens received so far.
    package private(set) var fetchCount = 0
    /// The last token response, and when it came (seconds since 1970).
    package private(set) var lastResponse: TokenResponse?
    package private(set) var receivedAt: Double?
    /// Why the last request brought no token (the secret already removed); nil after a success.
    package private(set) var error: String?
    /// When the token shown stops being usable: the earlier of `expires_in` and the token's own `exp`.
    package private(set) var expiresAt: Double?

    package init(endpoint: String, requestedScopes: [String]) {
        self.endpoint = endpoint
        self.requestedScopes = requestedScopes
    }

    /// The granted scopes as the provider listed them; nil when it did not (RFC 6749 §5.1: then as requested).
    package var grantedScopes: [String]? {
        lastResponse?.scope.map { $0.split(separator: " ").map(String.init) }
    }

    /// Requested scopes the provider did not grant, when it listed the granted ones.
    package var missingScopes: [String] {
        guard let granted = grantedScopes else { return [] }
        return requestedScopes.filter { !granted.contains($0) }
    }

    /// Whether a new token is due at `now`: the one shown has expired, and nothing is under way or failed
    /// (a failure waits for `F`, so that a refusing provider is not asked once a second).
    package func isDue(now: Double) -> Bool {
        guard !isFetching, error == nil, let expiresAt else { return false }
        return now >= expiresAt
    }

    /// Records a token response received at `now`; `tokenExpiry` is the token's own `exp`, when it has one.
    package mutating func received(_ response: TokenResponse, at now: Double, tokenExpiry: Double?) {
        isFetching = false
        awaitingApproval = nil
        fetchCount += 1
        lastResponse = response
        receivedAt = now
        error = nil
        let announced = response.expiresIn.map { now + $0 }
        expiresAt = [announced, tokenExpiry].compactMap { $0 }.min()
    }

    /// Records a refusal or an unreachable provider.
    package mutating func failed(_ description: String) {
        isFetching = false
        awaitingApproval = nil
        error = description
    }
}
