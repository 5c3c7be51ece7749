import LayabAuth

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGTERM, SIGHUP and SIGINT end the loop cleanly (the terminal is restored on the way out); SIGWINCH
/// wakes it at once, so that a resize is drawn in the next frame rather than at the next tick.
enum SignalWake {
    private nonisolated(unsafe) static var descriptor: Int32 = -1
    // Written by the handler, read by the loop: a plain sig_atomic_t-style flag.
    private nonisolated(unsafe) static var flag: Int32 = 0
    /// ncurses' own SIGWINCH handler, which makes the next `wgetch` report KEY_RESIZE: called first.
    /// Set once, before the handler that reads it is installed.
    private nonisolated(unsafe) static var resizeHandler: (@convention(c) (Int32) -> Void)?
    private static let retained = Locked<Waker?>(nil)

    static var terminated: Bool { flag != 0 }

    /// Call after the terminal is started: ncurses installs its SIGWINCH handler then, and this one wraps it.
    static func install(_ waker: Waker) {
        retained.withLock { $0 = waker }
        descriptor = waker.writeDescriptor
        for signalNumber in [SIGTERM, SIGHUP, SIGINT] {
            signal(signalNumber) { _ in
                SignalWake.flag = 1
                var byte: UInt8 = 1
                _ = write(SignalWake.descriptor, &byte, 1)
            }
        }
        // Without this the signal only interrupts the wait when it lands on the thread that polls; on any
        // other thread of the process the resize waited for the next tick (up to a second), and a shrink
        // between a poll and the next wait could go undrawn until a key was pressed.
        let previous = signal(SIGWINCH) { number in
            SignalWake.resizeHandler?(number)
            var byte: UInt8 = 1
            _ = write(SignalWake.descriptor, &byte, 1)
        }
        // SIG_DFL and SIG_IGN are 0 and 1, not functions to call.
        if let previous, UInt(bitPattern: unsafeBitCast(previous, to: Int.self)) > 1 {
            resizeHandler = previous
        }
    }
}
