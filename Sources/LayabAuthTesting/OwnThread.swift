import Foundation

/// Runs blocking work (processes, sockets, sleeps) on a thread of its own and awaits it.
///
/// Swift's cooperative pool has one thread per core; a test that blocks one of them can stall every
/// other test on a small machine. Tests that wait on processes or sockets go through this instead.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
