#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a POSIX mutex: `withLock` runs its body with the value while holding the lock.
///
/// Every piece of shared mutable state in the package sits in one of these rather than in
/// `Synchronization.Mutex`. Both cost one compare-and-swap when uncontended, but on Linux a contended
/// `Mutex` blocks in the kernel (`FUTEX_LOCK_PI`) from code that ThreadSanitizer does not see, so TSan
/// loses the ordering between two critical sections and reports races that are not there, or misses the
/// order of a value published under the lock and read after it. `pthread_mutex_lock` is intercepted by
/// TSan, so the memory check (`Tests/Memory`) runs without suppressions and a report there is real.
package final class Locked<Value> {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    // Behind a pointer rather than in a stored property: `inout` access to a class's property is checked
    // for exclusivity at run time on every call, which the mutex already guarantees.
    @usableFromInline let value: UnsafeMutablePointer<Value>

    package init(_ initial: Value) {
        value = UnsafeMutablePointer<Value>.allocate(capacity: 1)
        value.initialize(to: initial)
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        // A default (non-recursive, non-robust) mutex; initialisation cannot fail without attributes.
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        value.deinitialize(count: 1)
        value.deallocate()
    }

    /// Runs `body` with the value, holding the lock; `body` must not call `withLock` on the same instance.
    @inlinable
    package func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }
}

/// `@unchecked Sendable`: the value is only reached through `withLock`, under the mutex, and is itself
/// `Sendable`, so nothing handed out of `withLock` is shared unsafely.
extension Locked: @unchecked Sendable where Value: Sendable {}
