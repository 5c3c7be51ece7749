import LayabAuth

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tokens that passed verification, remembered so that the same token presented again (a client sends
/// its access token with every request) skips parsing and the signature check.
///
/// What it guarantees, so that a hit answers exactly as a full verification would:
/// - Entries are keyed by the exact token: the whole string is compared byte for byte, the hash only picks
///   the bucket. A token that differs in any byte (a tampered one) never hits.
/// - An entry never outlives the key set it was verified with: every hit is compared with the key source's
///   current set (`KeySet.identity`), and the cache empties itself as soon as the source hands out
///   another set, so a key removed from the JWK Set stops verifying at once.
/// - `exp`, `nbf` and `iat` are checked again on every hit with the verifier's clock and leeway; an entry
///   whose token expired is dropped, and the full verification then reports the expiry. Tokens without
///   `exp` are never cached.
/// - Required scopes are evaluated on every hit against the scopes the token grants.
/// - An entry answers only the verifier configuration that verified it: each ``JWKSVerifier`` configuration
///   (each one built, and each change of one) has an identity of its own, and a lookup under another one is
///   a miss. One cache may be shared by verifiers with different audiences, issuers, required claims,
///   algorithms or key policies without one's verdict standing for another's.
/// - At most ``capacity`` entries; the least recently used one makes room for a new one.
public final class VerifiedTokenCache: Sendable {
    /// The default number of entries: about 20 MB for typical access tokens of 1 KB.
    public static let defaultCapacity = 10_000

    /// The most entries held at once.
    public let capacity: Int

    private let state: Locked<LRU>

    /// - Parameter capacity: the most entries held at once (at least 1).
    public init(capacity: Int = VerifiedTokenCache.defaultCapacity) {
        precondition(capacity > 0, "a verified-token cache holds at least one entry")
        self.capacity = capacity
        state = Locked(LRU(capacity: capacity))
    }

    /// The number of entries held now.
    public var count: Int { state.withLock { $0.index.count } }

    /// Forgets every entry.
    public func removeAll() {
        state.withLock { $0.removeAll(keySet: nil) }
    }

    /// The identity of one verifier configuration, compared by reference: a configuration holds closures
    /// (the clock, the scope extractor), so two of them cannot be compared by value, and a fresh identity
    /// for each is the only comparison that never equates two different ones.
    final class ConfigurationIdentity: Sendable {}

    /// What a hit needs to answer without verifying again.
    struct Entry: Sendable {
        let token: VerifiedToken
        let configuration: ConfigurationIdentity
        let keySet: KeySet.Identity
        let expiresAt: Double
        let notBefore: Double?
        let issuedAt: Double?

        /// Whether the time-based claims still hold at `now`, with the same comparisons as the verifier.
        func isCurrent(now: Double, leeway: Double) -> Bool {
            if now >= expiresAt + leeway { return false }
            if let notBefore, now + leeway < notBefore { return false }
            if let issuedAt, issuedAt > now + leeway { return false }
            return true
        }
    }

    /// The entry for `token` verified under `configuration`, when its time-based claims hold at `now`; an
    /// entry that no longer holds is dropped, one of another configuration is left for its own verifier. The
    /// caller must compare the entry's key set with the current one before trusting it.
    func entry(for token: String, configuration: ConfigurationIdentity, now: Double, leeway: Double) -> Entry? {
        let key = TokenKey(token)
        return state.withLock { lru in
            guard let slot = lru.index[key] else { return nil }
            guard lru.slots[slot].entry?.configuration === configuration else { return nil }
            guard let entry = lru.slots[slot].entry, entry.isCurrent(now: now, leeway: leeway) else {
                lru.remove(slot: slot)
                return nil
            }
            lru.touch(slot)
            return entry
        }
    }

    /// Empties the cache unless its entries were verified with the key set `identity`.
    func removeAll(unlessVerifiedWith identity: KeySet.Identity) {
        state.withLock { lru in
            if lru.keySet != identity { lru.removeAll(keySet: identity) }
        }
    }

    /// Remembers a token that passed verification under `configuration` with `keySet`. Tokens without `exp`
    /// are not kept.
    func insert(_ token: VerifiedToken, configuration: ConfigurationIdentity, keySet: KeySet.Identity) {
        guard let expiresAt = token.claims.expiresAt else { return }
        let entry = Entry(token: token, configuration: configuration, keySet: keySet, expiresAt: expiresAt, notBefore: token.claims.notBefore,
                          issuedAt: token.claims.issuedAt)
        let key = TokenKey(token.raw)
        state.withLock { lru in
            if lru.keySet != keySet { lru.removeAll(keySet: keySet) }
            lru.insert(entry, for: key)
        }
    }

    /// The token as a dictionary key: equal only when the bytes are equal (Swift's `String ==` would also
    /// equate canonically equivalent strings), hashed over the bytes.
    struct TokenKey: Hashable, Sendable {
        let token: String

        init(_ token: String) { self.token = token }

        static func == (lhs: TokenKey, rhs: TokenKey) -> Bool {
            let equal = lhs.token.utf8.withContiguousStorageIfAvailable { left in
                rhs.token.utf8.withContiguousStorageIfAvailable { right in
                    guard left.count == right.count else { return false }
                    guard let a = left.baseAddress, let b = right.baseAddress else { return true }
                    return memcmp(a, b, left.count) == 0
                }
            }
            return (equal ?? nil) ?? lhs.token.utf8.elementsEqual(rhs.token.utf8)
        }

        func hash(into hasher: inout Hasher) {
            if token.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
                for byte in token.utf8 { hasher.combine(byte) }
            }
        }
    }

    /// A fixed pool of slots in a doubly linked list, most recently used first; no allocation per hit.
    struct LRU {
        struct Slot {
            var entry: Entry?
            var key: TokenKey?
            var previous = -1
            var next = -1
        }

        let capacity: Int
        var index: [TokenKey: Int] = [:]
        var slots: [Slot] = []
        var free: [Int] = []
        var head = -1
        var tail = -1
        var keySet: KeySet.Identity?

        init(capacity: Int) { self.capacity = capacity }

        mutating func removeAll(keySet: KeySet.Identity?) {
            index.removeAll()
            slots.removeAll()
            free.removeAll()
            head = -1
            tail = -1
            self.keySet = keySet
        }

        mutating func insert(_ entry: Entry, for key: TokenKey) {
            if let existing = index[key] {
                slots[existing].entry = entry
                touch(existing)
                return
            }
            if index.count >= capacity, tail >= 0 { remove(slot: tail) }
            let slot: Int
            if let reused = free.popLast() {
                slot = reused
                slots[slot] = Slot(entry: entry, key: key)
            } else {
                slot = slots.count
                slots.append(Slot(entry: entry, key: key))
            }
            index[key] = slot
            linkFirst(slot)
        }

        mutating func remove(slot: Int) {
            unlink(slot)
            if let key = slots[slot].key { index[key] = nil }
            slots[slot] = Slot()
            free.append(slot)
        }

        /// Marks `slot` as the most recently used.
        mutating func touch(_ slot: Int) {
            guard head != slot else { return }
            unlink(slot)
            linkFirst(slot)
        }

        private mutating func linkFirst(_ slot: Int) {
            slots[slot].previous = -1
            slots[slot].next = head
            if head >= 0 { slots[head].previous = slot }
            head = slot
            if tail < 0 { tail = slot }
        }

        private mutating func unlink(_ slot: Int) {
            let previous = slots[slot].previous, next = slots[slot].next
            if previous >= 0 { slots[previous].next = next } else if head == slot { head = next }
            if next >= 0 { slots[next].previous = previous } else if tail == slot { tail = previous }
            slots[slot].previous = -1
            slots[slot].next = -1
        }
    }
}
