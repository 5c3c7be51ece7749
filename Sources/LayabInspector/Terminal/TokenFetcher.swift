import LayabAuth
import LayabConsole

/// Fetches tokens for the inspector, as key retrieval does: each request on a task of its own, off the
/// terminal thread, its outcome posted for the loop to collect and the loop woken.
final class TokenFetcher: Sendable {
    /// What one request brought: the token response, or why there is none (with every secret removed).
    typealias Outcome = Result<TokenResponse, ProviderError>

    private let request: TokenRequest
    private let outcomes = Locked<[Outcome]>([])

    init(request: TokenRequest) {
        self.request = request
    }

    /// Starts one client credentials request; `waker` is woken when it has an outcome.
    func fetch(waking waker: Waker) {
        let request = request
        Task.detached { [outcomes] in
            let outcome: Outcome
            do throws(ProviderError) {
                outcome = .success(try await request.send(.clientCredentials))
            } catch {
                // A provider may echo what it was sent.
                outcome = .failure(error.redacting([request.authentication.secret].compactMap { $0 }))
            }
            outcomes.withLock { $0.append(outcome) }
            waker.wake()
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
