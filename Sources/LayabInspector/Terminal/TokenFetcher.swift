import LayabAuth
import LayabConsole

/// Fetches tokens for the inspector, as key retrieval does: each request on a task of its own, off the
/// terminal thread, its outcome posted for the loop to collect and the loop woken.
final class TokenFetcher: Sendable {
    /// What a fetch brought, in order: for the device grant first the code the person must enter, then the
    /// token response or why there is none (with every secret removed).
    enum Outcome: Sendable {
        case awaitingApproval(DeviceAuthorization)
        case token(TokenResponse)
        case failed(ProviderError)
    }

    private let request: TokenRequest
    /// The device authorization endpoint: fetches use the device grant (RFC 8628) instead of client credentials.
    private let deviceAuthorizationEndpoint: String?
    private let outcomes = Locked<[Outcome]>([])
    /// The refresh token of the latest token response, kept here and never shown: the next fetch spends it
    /// first, so that a device-grant token is renewed without asking the person to approve again.
    private let refreshToken = Locked<String?>(nil)

    init(request: TokenRequest, deviceAuthorizationEndpoint: String?) {
        self.request = request
        self.deviceAuthorizationEndpoint = deviceAuthorizationEndpoint
    }

    /// Starts one fetch; `waker` is woken at each outcome. With a refresh token from an earlier answer the
    /// refresh grant is tried first; when the provider refuses it, the configured grant runs as at the start.
    func fetch(waking waker: Waker) {
        let request = request, deviceAuthorizationEndpoint = deviceAuthorizationEndpoint, refreshToken = refreshToken
        Task.detached { [outcomes] in
            let post = { (outcome: Outcome) in
                outcomes.withLock { $0.append(outcome) }
                waker.wake()
            }
            let issued = { (response: TokenResponse) in
                // A provider that rotates refresh tokens sends a new one; one that does not keeps the old valid.
                if let next = response.refreshToken { refreshToken.withLock { $0 = next } }
                post(.token(response))
            }
            let spent = refreshToken.withLock { token -> String? in
                defer { token = nil }
                return token
            }
            do throws(ProviderError) {
                if let spent {
                    do throws(ProviderError) {
                        let response = try await request.send(.refresh(token: spent))
                        if response.refreshToken == nil { refreshToken.withLock { $0 = $0 ?? spent } }
                        return issued(response)
                    } catch {
                        // Unreachable: keep it for the next try. Refused (expired or revoked): fall back to the
                        // grant the inspector was started with.
                        guard error.kind == .refused else {
                            refreshToken.withLock { $0 = $0 ?? spent }
                            throw error
                        }
                    }
                }
                if let deviceAuthorizationEndpoint {
                    let flow = DeviceFlow(request: request, authorizationEndpoint: deviceAuthorizationEndpoint)
                    let authorization = try await flow.authorize()
                    post(.awaitingApproval(authorization))
                    issued(try await flow.poll(authorization))
                } else {
                    issued(try await request.send(.clientCredentials))
                }
            } catch {
                // A provider may echo what it was sent.
                post(.failed(error.redacting([request.authentication.secret, spent].compactMap { $0 })))
            }
        }
    }

    /// The outcomes posted since the last call, oldest first.
    func collect() -> [Outcome] {
        outcomes.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }
}
