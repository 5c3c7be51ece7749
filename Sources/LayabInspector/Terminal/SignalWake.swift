import LayabAuth

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGTERM, SIGHUP and SIGINT end the loop cleanly (the terminal is restored on the way out).
enum SignalWake {
    private nonisolated(unsafe) static var descriptor: Int32 = -1
    // Written by the handler, read by the loop: a plain sig_atomic_t-style flag.
    private nonisolated(unsafe) static var flag: Int32 = 0
    private static let retained = Locked<Waker?>(nil)

    static var terminated: Bool { flag != 0 }

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
    }
}
