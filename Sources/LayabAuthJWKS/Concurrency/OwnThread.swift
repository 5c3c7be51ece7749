import Foundation

/// Blocking work (a libcurl transfer, a file read, a process or a socket in a test) on a thread of its
/// own: it never holds one of the cooperative pool's few threads, or an event loop, while it waits.
///
/// Swift's cooperative pool has one thread per core; work that blocks one of them can stall every other
/// task on a small machine. Every thread the package starts for such work comes from here.
package enum OwnThread {
    /// Stack of every thread started here. Ample for libcurl with OpenSSL and for the tests' processes
    /// and sockets (macOS gives secondary threads 512 KiB), and small enough that many at once stay cheap.
    package static let stackSize = 1 << 20

    /// Runs `body` on a new thread and returns what it returns or throws. A body that cannot throw makes
    /// the call non-throwing (`Failure` is `Never`).
    /// - Parameters:
    ///   - name: the thread's name, as debuggers and `top -H` show it.
    ///   - body: the blocking work.
    package static func run<T: Sendable, Failure: Error>(
        name: String? = nil, _ body: @escaping @Sendable () throws(Failure) -> T
    ) async throws(Failure) -> T {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, Failure>, Never>) in
            start(name: name) { continuation.resume(returning: Result { () throws(Failure) in try body() }) }
        }
        return try result.get()
    }

    /// Starts `body` on a new thread and returns at once (a server's accept loop, one connection).
    package static func start(name: String? = nil, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.stackSize = stackSize
        if let name { thread.name = name }
        thread.start()
    }
}
