import Foundation

/// Blocking work (a libcurl transfer, a file read) on a thread of its own: it never holds one of the
/// cooperative pool's few threads or an event loop while it waits.
enum OwnThread {
    static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.start()
        }
    }
}
