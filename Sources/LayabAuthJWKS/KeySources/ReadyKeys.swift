import LayabAuth

/// The key set a key source may hand out without its actor: the set in service, while it is fresh.
///
/// The actor that owns the cache publishes here after every change of it; a verifier reads it from any
/// thread, under a lock, with no suspension. Only fresh keys are published: serving them is all the actor
/// would do (nothing is retrieved, logged or counted). Stale keys, keys past their staleness limit and no
/// keys at all read as nil, so that the caller goes through the actor, which starts the background refresh,
/// applies the staleness limit or waits for a retrieval, exactly as before.
final class ReadyKeys: Sendable {
    private let state = Locked<(keys: KeySet, freshUntil: Double)?>(nil)

    /// The keys, when they are fresh at `now`.
    func keys(now: Double) -> KeySet? {
        state.withLock { ready in
            guard let ready, now < ready.freshUntil else { return nil }
            return ready.keys
        }
    }

    /// Publishes the keys in service and when they stop being fresh; nil when none are held.
    func publish(_ keys: KeySet?, freshUntil: Double) {
        state.withLock { $0 = keys.map { ($0, freshUntil) } }
    }
}
