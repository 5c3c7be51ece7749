import LayabAuth

/// The verifiers of one template's tenants, made on first use and kept for the next token (so that the
/// verified-token cache recognises their configuration): at most `capacity`, the least recently used
/// making room. All share the template's one key source, so their number bounds memory, never connections.
final class TenantVerifiers: Sendable {
    private struct Entry {
        let verifier: JWKSVerifier
        var lastUse: UInt64
    }

    private struct Store {
        var entries: [ExactString: Entry] = [:]
        var uses: UInt64 = 0
    }

    let capacity: Int
    private let store = Locked(Store())

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { store.withLock { $0.entries.count } }

    /// The verifier of `tenant`, made by `make` when none is kept.
    func verifier(forTenant tenant: String, make: () throws(LayabAuthError) -> JWKSVerifier) throws(LayabAuthError) -> JWKSVerifier {
        let key = ExactString(tenant)
        if let kept = store.withLock({ (store: inout Store) -> JWKSVerifier? in
            store.uses += 1
            store.entries[key]?.lastUse = store.uses
            return store.entries[key]?.verifier
        }) { return kept }
        let made = try make()
        store.withLock { store in
            if store.entries[key] == nil, store.entries.count >= capacity,
               let oldest = store.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
            {
                store.entries[oldest] = nil
            }
            store.entries[key] = Entry(verifier: made, lastUse: store.uses)
        }
        return made
    }
}
