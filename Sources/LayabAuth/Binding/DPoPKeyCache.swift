/// The public keys of recent DPoP proofs, imported once: a client signs every proof with the same key, and
/// importing it into OpenSSL (checking the point, building the key) costs about as much as verifying the
/// proof's signature.
///
/// A cached key is only ever handed out for a JWK whose bytes are those it was imported from: entries are
/// keyed by the JWK's exact compact text (every member, in its order, compared byte for byte, so the RFC 7638
/// thumbprint input and every other member the import reads), and a hit must also have the `kty` and `crv` of
/// the key. A proof therefore never verifies with a key other than the one it carries: a JWK that differs in
/// one byte, a `kid` shared with another key included, is imported afresh. Keys that fail to import are not kept.
///
/// Bounded: at most ``capacity`` keys, the least recently used one goes first. The lock is held only to find,
/// reorder or insert an entry; importing runs outside it.
package final class DPoPKeyCache: Sendable {
    /// The keys kept by ``shared``.
    package static let defaultCapacity = 1024

    /// The cache ``DPoPProof/verify(_:policy:)`` uses. Safe to share: an entry depends only on the JWK's bytes
    /// (proof keys are always imported with the default key policy).
    package static let shared = DPoPKeyCache(capacity: defaultCapacity)

    package let capacity: Int
    private let state: Locked<LeastRecentlyUsed>

    /// - Parameter capacity: the most keys kept at once (at least 1).
    package init(capacity: Int) {
        self.capacity = max(1, capacity)
        state = Locked(LeastRecentlyUsed(capacity: max(1, capacity)))
    }

    /// The number of keys kept now.
    package var count: Int { state.withLock { $0.count } }

    /// The key of `jwk`: the one imported before from the same bytes, else `jwk` imported by `importKey` (and kept).
    /// - Throws: what `importKey` throws; nothing is kept then.
    package func key(for jwk: JSONObject, importKey: (JSONObject) throws(LayabAuthError) -> VerificationKey) throws(LayabAuthError) -> VerificationKey {
        let text = ExactString(JSONValue.object(jwk).jsonText)
        if let key = state.withLock({ $0.value(for: text) }), Self.sameKind(key, jwk) { return key }
        let key = try importKey(jwk)
        state.withLock { $0.insert(key, for: text) }
        return key
    }

    /// Whether `key` has the key type and curve `jwk` names: a second check beside the equal bytes.
    private static func sameKind(_ key: VerificationKey, _ jwk: JSONObject) -> Bool {
        guard let kty = jwk["kty"]?.stringValue, kty.hasSameUTF8(as: key.keyType.rawValue) else { return false }
        switch (jwk["crv"]?.stringValue, key.curve) {
        case (nil, nil): return true
        case let (name?, curve?): return name.hasSameUTF8(as: curve.rawValue)
        default: return false
        }
    }

    /// A bounded map from JWK text to key, least recently used first out: a doubly linked list over slots.
    private struct LeastRecentlyUsed: Sendable {
        struct Slot: Sendable {
            var text: ExactString
            var key: VerificationKey
            var newer: Int
            var older: Int
        }

        let capacity: Int
        var slots: [Slot] = []
        var index: [ExactString: Int] = [:]
        /// The most recently used slot, and the least; -1 when empty.
        var newest = -1
        var oldest = -1

        init(capacity: Int) { self.capacity = capacity }

        var count: Int { index.count }

        mutating func value(for text: ExactString) -> VerificationKey? {
            guard let slot = index[text] else { return nil }
            moveToFront(slot)
            return slots[slot].key
        }

        mutating func insert(_ key: VerificationKey, for text: ExactString) {
            if let slot = index[text] {
                slots[slot].key = key
                moveToFront(slot)
                return
            }
            let slot: Int
            if slots.count < capacity {
                slot = slots.count
                slots.append(Slot(text: text, key: key, newer: -1, older: -1))
            } else {
                slot = oldest
                unlink(slot)
                index[slots[slot].text] = nil
                slots[slot].text = text
                slots[slot].key = key
            }
            index[text] = slot
            linkAtFront(slot)
        }

        private mutating func moveToFront(_ slot: Int) {
            guard slot != newest else { return }
            unlink(slot)
            linkAtFront(slot)
        }

        private mutating func unlink(_ slot: Int) {
            let (newer, older) = (slots[slot].newer, slots[slot].older)
            if newer >= 0 { slots[newer].older = older } else { newest = older }
            if older >= 0 { slots[older].newer = newer } else { oldest = newer }
            slots[slot].newer = -1
            slots[slot].older = -1
        }

        private mutating func linkAtFront(_ slot: Int) {
            slots[slot].older = newest
            slots[slot].newer = -1
            if newest >= 0 { slots[newest].newer = slot }
            newest = slot
            if oldest < 0 { oldest = slot }
        }
    }
}
