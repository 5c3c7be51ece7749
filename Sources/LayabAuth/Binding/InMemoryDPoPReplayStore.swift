/// The default replay store: the proofs of one process, in memory. Bounded: expired entries are dropped when
/// the store is full, and a store still full of unexpired proofs refuses new ones (`replay_store_unavailable`)
/// rather than forgetting one that could then be replayed. An API that runs as several instances needs a
/// shared store instead.
public final class InMemoryDPoPReplayStore: DPoPReplayStore {
    /// The most proofs remembered at once.
    public let capacity: Int
    private let entries: Locked<[ReplayKey: Double]>

    private struct ReplayKey: Hashable {
        let jti: ExactString
        let keyThumbprint: ExactString
    }

    /// - Parameter capacity: the most proofs remembered at once (at least 1): at 60 s per proof, 100 000 covers
    ///   well over 1 000 DPoP requests a second.
    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
        entries = Locked([:])
    }

    /// The number of proofs remembered now (expired ones included until they are dropped).
    public var count: Int { entries.withLock { $0.count } }

    public func firstUse(jti: String, keyThumbprint: String, expiresAt: Double, now: Double) async throws(LayabAuthError) -> Bool {
        let key = ReplayKey(jti: ExactString(jti), keyThumbprint: ExactString(keyThumbprint))
        let capacity = capacity
        return try entries.withLock { (entries) throws(LayabAuthError) -> Bool in
            if let expiry = entries[key], expiry >= now { return false }
            if entries.count >= capacity, entries[key] == nil {
                entries = entries.filter { $0.value >= now }
                if entries.count >= capacity {
                    throw LayabAuthError(.replayStoreUnavailable, "the in-memory DPoP replay store holds \(capacity) unexpired proofs, its capacity")
                }
            }
            entries[key] = expiresAt
            return true
        }
    }
}
