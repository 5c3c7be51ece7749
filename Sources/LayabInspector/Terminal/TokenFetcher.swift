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

    init(request: TokenRequest, deviceAuthorizationEndpoint: String?) {
        self.request = request
        self.deviceAuthorizationEndpoint = deviceAuthorizationEndpoint
    }

    /// Starts one fetch; `waker` is woken at each outcome.
    func fetch(waking waker: Waker) {
        let request = request, deviceAuthorizationEndpoint = deviceAuthorizationEndpoint
        Task.detached { [outcomes] in
            let post = { (outcome: Outcome) in
                outcomes.withLock { $0.append(outcome) }
                waker.wake()
            }
            do throws(ProviderError) {
                if let deviceAuthorizationEndpoint {
                    let flow = DeviceFlow(request: request, authorizationEndpoint: deviceAuthorizationEndpoint)
                    let authorization = try await flow.authorize()
                    post(.awaitingApproval(authorization))
                    post(.token(try await flow.poll(authorization)))
                } else {
                    post(.token(try await request.send(.clientCredentials)))
                }
            } catch {
                // A provider may echo what it was sent.
                post(.failed(error.redacting([request.authentication.secret].compactMap { $0 })))
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
