/// Set-up OpenSSL contexts of one key, kept for reuse on a shelf per mode: a thread takes a context,
/// uses it alone and gives it back.
///
/// OpenSSL 3 spends more on setting a context up (fetching implementations, allocating, configuring)
/// than on many of the operations run with it, so each key keeps the contexts it set up.
///
/// Ownership: a context is owned by exactly one thread between `take` and `give`; the idle ones are only
/// touched under the mutex. Contexts are therefore `@unchecked Sendable` on this rule (each says so), and
/// the pool is `Sendable` without being unchecked. The mutex is a ``Locked``, which ThreadSanitizer sees.
final class ContextPool<Mode: Equatable & Sendable, Context: AnyObject & Sendable>: Sendable {
    /// Idle contexts kept per mode; more are freed on return (a burst of threads does not pin memory).
    static var idleLimit: Int { 64 }

    /// The idle contexts of one mode. A key is used in one or two modes, so a short array searched
    /// linearly serves better than a dictionary, whose in-place mutation allocates.
    private struct Shelf: Sendable {
        let mode: Mode
        var contexts: [Context] = []
    }

    private let shelves = Locked<[Shelf]>([])

    /// An idle context set up for `mode`, or nil when none is idle (the caller sets one up).
    func take(_ mode: Mode) -> Context? {
        shelves.withLock { shelves in
            guard let index = shelves.firstIndex(where: { $0.mode == mode }) else { return nil }
            return shelves[index].contexts.popLast()
        }
    }

    /// Keeps `context`, set up for `mode`, for the next `take`; frees it when ``idleLimit`` are idle.
    func give(_ context: Context, mode: Mode) {
        shelves.withLock { shelves in
            let index: Int
            if let found = shelves.firstIndex(where: { $0.mode == mode }) {
                index = found
            } else {
                shelves.append(Shelf(mode: mode))
                index = shelves.count - 1
            }
            if shelves[index].contexts.count < Self.idleLimit {
                if shelves[index].contexts.isEmpty { shelves[index].contexts.reserveCapacity(8) }
                shelves[index].contexts.append(context)
            }
        }
    }
}
