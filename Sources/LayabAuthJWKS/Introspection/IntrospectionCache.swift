import LayabAuth

/// Answers of an introspection endpoint, so that a client sending its token with every request does not make
/// the resource server ask the authorization server every time.
///
/// What it guarantees:
/// - Entries are keyed by the SHA-256 of the token only: the cache never holds a token, so a memory dump of it
///   yields no credential.
/// - An active answer is kept until the earlier of its `exp` and ``activeLifetime`` (a revocation is seen at most
///   that late); an inactive one for ``inactiveLifetime`` only, so that a token the server did not know yet (a
///   replica lagging behind) is not refused for long. Failures (endpoint down, garbage) are never kept.
/// - The verifier's claim rules and the route's scopes run again on every hit (the cache keeps answers, not verdicts).
/// - Concurrent verifications of one token not in the cache make one request together (single flight).
/// - At most ``capacity`` entries; expired entries go first, then the least recently used.
///
/// One cache serves one endpoint and client: answers are not told apart by who asked (give each
/// ``IntrospectionVerifier`` with another endpoint or client a cache of its own, as the default does).
public final class IntrospectionCache: Sendable {
    public static let defaultCapacity = 10_000
    public static let defaultActiveLifetime = 60.0
    public static let defaultInactiveLifetime = 5.0

    public let capacity: Int
    /// Seconds an active answer is kept at most (also capped by its `exp`).
    public let activeLifetime: Double
    /// Seconds an inactive answer is kept.
    public let inactiveLifetime: Double

    /// The SHA-256 of a token, as four words: equal when all 256 bits are; hashed as 32 bytes at once rather
    /// than byte by byte, as an array of bytes would be (a lookup on every request).
    package struct Key: Hashable, Sendable {
        private let words: SHA256.Words

        /// The key of a digest computed into a fixed buffer (`SHA256.words(of:)`): no array on the way.
        init(words: SHA256.Words) { self.words = words }

        /// nil unless `digest` has 32 bytes.
        init?(digest: [UInt8]) {
            guard digest.count == 32 else { return nil }
            words = digest.withUnsafeBytes { bytes in
                (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                 bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            }
        }

        /// The 32 bytes of the digest.
        package var digest: [UInt8] {
            withUnsafeBytes(of: words) { Array($0) }
        }

        package static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
        }

        package func hash(into hasher: inout Hasher) {
            withUnsafeBytes(of: words) { hasher.combine(bytes: $0) }
        }
    }

    private struct Entry: Sendable {
        let answer: IntrospectionAnswer
        let expires: Double
        var lastUsed: UInt64
    }

    private struct State: Sendable {
        var entries: [Key: Entry] = [:]
        var inFlight: [Key: (generation: UInt64, retrieval: SharedRetrieval<IntrospectionAnswer>)] = [:]
        var tick: UInt64 = 0
        var generation: UInt64 = 0
    }

    private let state = Locked(State())

    /// - Throws: `invalid_configuration` for a capacity under 1 or a lifetime that is not a finite number of seconds ≥ 0.
    public init(capacity: Int = IntrospectionCache.defaultCapacity, activeLifetime: Double = IntrospectionCache.defaultActiveLifetime,
                inactiveLifetime: Double = IntrospectionCache.defaultInactiveLifetime) throws(LayabAuthError)
    {
        guard capacity > 0 else { throw .invalidConfiguration("capacity", capacity, "an introspection cache holds at least one entry") }
        for (name, value) in [("activeLifetime", activeLifetime), ("inactiveLifetime", inactiveLifetime)] where !(value.isFinite && value >= 0) {
            throw .invalidConfiguration(name, value, "it must be a finite number of seconds, 0 or more")
        }
        self.capacity = capacity
        self.activeLifetime = activeLifetime
        self.inactiveLifetime = inactiveLifetime
    }

    /// The cache key of `token`: its SHA-256.
    package static func key(_ token: String) -> Key? { SHA256.words(of: token).map(Key.init(words:)) }

    /// The keys held (for tests: they are digests, never tokens).
    package var keys: [Key] { state.withLock { Array($0.entries.keys) } }

    public var count: Int { state.withLock { $0.entries.count } }

    public func removeAll() { state.withLock { $0.entries.removeAll() } }

    /// The answer for `token`: from the cache while it holds, else from `fetch`, shared by every caller asking
    /// for the same token meanwhile.
    /// - Returns: the answer and whether it came from the cache.
    /// - Throws: `fetch`'s error (never cached); `introspection_unavailable` when the waiting task was cancelled.
    package func answer(for token: String, now: @escaping @Sendable () -> Double,
                        fetch: @escaping @Sendable () async -> Result<IntrospectionAnswer, LayabAuthError>) async throws(LayabAuthError) -> (IntrospectionAnswer, cached: Bool)
    {
        guard let key = Self.key(token) else {
            // No digest, no caching: the answer is still right, only not remembered.
            return (try await fetch().get(), false)
        }
        return try await answer(for: key, now: now, fetch: fetch)
    }

    /// The cached answer for `key` (``key(_:)`` of the token) if one holds at `now`, touched as the most recently
    /// used; an expired one is dropped. Synchronous: a hit needs no closure, task or suspension.
    package func cachedAnswer(for key: Key, now: Double) -> IntrospectionAnswer? {
        state.withLock { Self.hit(&$0, key, now: now) }
    }

    /// `answer(for:now:fetch:)` for a token whose key the caller already computed (after a
    /// ``cachedAnswer(for:now:)`` miss): the same lookup, then one fetch shared by every caller asking for that key.
    package func answer(for key: Key, now: @escaping @Sendable () -> Double,
                        fetch: @escaping @Sendable () async -> Result<IntrospectionAnswer, LayabAuthError>) async throws(LayabAuthError) -> (IntrospectionAnswer, cached: Bool)
    {
        enum Step { case cached(IntrospectionAnswer), wait(SharedRetrieval<IntrospectionAnswer>.Waiter) }
        let step = state.withLock { state -> Step in
            if let answer = Self.hit(&state, key, now: now()) { return .cached(answer) }
            if let flight = state.inFlight[key], let waiter = flight.retrieval.join() { return .wait(waiter) }
            state.generation += 1
            let generation = state.generation
            let waiter = SharedRetrieval.started { [self] in
                let outcome = await fetch()
                finish(key, generation: generation, outcome: outcome, now: now())
                return outcome
            }
            state.inFlight[key] = (generation, waiter.retrieval)
            return .wait(waiter)
        }
        switch step {
        case let .cached(answer): return (answer, true)
        case let .wait(waiter):
            guard let outcome = await waiter.outcome() else {
                throw LayabAuthError(.introspectionUnavailable, "the introspection was cancelled")
            }
            return (try outcome.get(), false)
        }
    }

    /// The entry of `key` if it holds at `now`, touched as the most recently used; an expired one is removed.
    /// One lookup for a hit: the entry is found by its index and touched there.
    private static func hit(_ state: inout State, _ key: Key, now: Double) -> IntrospectionAnswer? {
        guard let position = state.entries.index(forKey: key) else { return nil }
        let entry = state.entries.values[position]
        guard entry.expires > now else {
            state.entries.remove(at: position)
            return nil
        }
        state.tick += 1
        state.entries.values[position].lastUsed = state.tick
        return entry.answer
    }

    private func finish(_ key: Key, generation: UInt64, outcome: Result<IntrospectionAnswer, LayabAuthError>, now: Double) {
        state.withLock { state in
            if state.inFlight[key]?.generation == generation { state.inFlight[key] = nil }
            guard case let .success(answer) = outcome else { return }
            let expires: Double
            switch answer {
            case let .active(claims):
                expires = min(now + activeLifetime, claims.expiresAt ?? .infinity)
            case .inactive:
                expires = now + inactiveLifetime
            }
            guard expires > now else { return }
            if state.entries[key] == nil, state.entries.count >= capacity { Self.makeRoom(&state, now: now) }
            state.tick += 1
            state.entries[key] = Entry(answer: answer, expires: expires, lastUsed: state.tick)
        }
    }

    /// Drops the expired entries, or else the least recently used one.
    private static func makeRoom(_ state: inout State, now: Double) {
        let before = state.entries.count
        state.entries = state.entries.filter { $0.value.expires > now }
        guard state.entries.count == before, let oldest = state.entries.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key else { return }
        state.entries[oldest] = nil
    }
}
