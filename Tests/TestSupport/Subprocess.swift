import Foundation
import LayabAuthJWKS
import LayabAuthTesting

#if canImport(Glibc)
import Glibc
#endif

/// What a finished child process left behind.
public struct SubprocessResult: Sendable, CustomStringConvertible {
    /// The exit status, nil when the process was ended by a signal.
    public let status: Int32?
    /// The signal that ended the process, if one did.
    public let signal: Int32?
    public let standardOutput: [UInt8]
    public let standardError: [UInt8]
    /// The run outlasted its deadline and was killed.
    public let timedOut: Bool

    public var output: String { String(decoding: standardOutput, as: UTF8.self) }
    public var errorOutput: String { String(decoding: standardError, as: UTF8.self) }
    /// Standard output split into lines, without the empty string after the last line break.
    public var outputLines: [String] {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// How the run ended: "exit 0", "signal 9", "timed out".
    public var ending: String { timedOut ? "timed out" : status.map { "exit \($0)" } ?? "signal \(signal ?? -1)" }

    public var description: String {
        "\(ending)\n--- stdout ---\n\(output.prefix(4000))\n--- stderr ---\n\(errorOutput.prefix(4000))"
    }
}

/// The tests' one way to run another program: `run` to its end, or a ``ChildProcess`` held by the test.
public enum Subprocess {
    /// The bound on a run that names none: generous, because the machines that run the suite are small and
    /// shared, but finite, so that a hang fails its test instead of blocking the suite.
    public static let defaultTimeout: Double = 120

    /// Runs `executable` to its end on a thread of its own (a child is driven with blocking poll(2), which
    /// must not hold one of the few threads of Swift's concurrency pool).
    /// - Parameters:
    ///   - environment: changes to the test's environment; a nil value removes the variable.
    ///   - input: written to the child's standard input, which is then closed.
    ///   - directory: the child's working directory (the test's when nil).
    ///   - timeout: seconds before the child is killed; the result then says `timedOut`.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String?] = [:], input: [UInt8] = [],
                           directory: String? = nil, timeout: Double = defaultTimeout) async throws -> SubprocessResult
    {
        try await OwnThread.run {
            try runBlocking(executable, arguments, environment: environment, input: input, directory: directory, timeout: timeout)
        }
    }

    /// ``run(_:_:environment:input:directory:timeout:)`` on the calling thread, for callers that are already
    /// on a thread of their own (or are synchronous helpers that such callers use).
    public static func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String?] = [:], input: [UInt8] = [],
                                   directory: String? = nil, timeout: Double = defaultTimeout) throws -> SubprocessResult
    {
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: environment, directory: directory)
        child.write(input)
        return child.finish(timeout: timeout)
    }
}

/// At most `width` children hold a slot at once; the others wait (blocking their thread) in ``ChildProcess/init``.
public final class ProcessSlots: Sendable {
    private let semaphore: DispatchSemaphore
    public init(width: Int) { semaphore = DispatchSemaphore(value: width) }
    func take() { semaphore.wait() }
    func give() { semaphore.signal() }
}

/// A child process with its standard streams held by the test.
///
/// Spawned with `posix_spawn` rather than `Process` for three reasons the tests depend on: the child's
/// standard output can be a pseudo-terminal, every other descriptor of the test process is closed in the
/// child (a test server's listening socket must not survive in an unrelated child, or a "stopped" server
/// would still accept connections), and signal dispositions are reset (the test process ignores SIGPIPE).
public final class ChildProcess {
    /// Where the child's standard output and standard error go.
    public enum Output: Sendable {
        /// Two pipes, read into ``standardOutput`` and ``standardError`` while ``pump(until:deadline:)`` runs.
        case pipes
        /// A pseudo-terminal as standard output, a pipe as standard error.
        case terminal
        /// Both appended to the file at this path (a server's log, which nobody has to pump).
        case file(String)
    }

    public let pid: pid_t
    private var input: Int32
    private var output: Int32
    private var errors: Int32
    public private(set) var standardOutput: [UInt8] = []
    public private(set) var standardError: [UInt8] = []
    private var pendingInput: [UInt8] = []
    private var pendingOffset = 0
    private var closeInputWhenWritten = false
    private var exitStatus: Int32?
    private let slots: ProcessSlots?

    /// Starts `executable` (a path; no search of `PATH`).
    /// - Parameters:
    ///   - environment: changes to the test's environment; a nil value removes the variable.
    ///   - directory: the child's working directory (the test's when nil).
    ///   - slots: taken before the child starts and given back when this value goes away.
    public init(executable: String, arguments: [String], environment: [String: String?] = [:], directory: String? = nil,
                output destination: Output = .pipes, slots: ProcessSlots? = nil) throws
    {
        Self.ignoreBrokenPipes
        self.slots = slots
        slots?.take()
        var spawned = false
        defer { if !spawned { slots?.give() } }
        var descriptors: [Int32] = []
        defer { descriptors.forEach { close($0) } }
        func pipe() throws -> [Int32] {
            var ends: [Int32] = [-1, -1]
            guard try LibC.pipe2()(&ends, O_CLOEXEC) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
            descriptors += ends
            return ends
        }
        let inputPipe = try pipe()
        var outputPipe: [Int32] = [-1, -1], errorPipe: [Int32] = [-1, -1]
        switch destination {
        case .pipes:
            outputPipe = try pipe()
            errorPipe = try pipe()
        case .terminal:
            outputPipe = try Self.openPseudoTerminal()
            descriptors += outputPipe
            errorPipe = try pipe()
        case .file:
            break
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        if case let .file(path) = destination {
            posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        }
        if let directory { _ = try LibC.addChdir()(&actions, directory) }
        _ = try LibC.addCloseFrom()(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment { variables[name] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard status == 0 else { throw POSIXError(.init(rawValue: status) ?? .EIO) }
        spawned = true
        // The test keeps the write end of standard input and the read ends of the outputs; the rest close.
        let kept = [inputPipe[1], outputPipe[0], errorPipe[0]]
        descriptors.removeAll { kept.contains($0) }
        _ = fcntl(kept[0], F_SETFL, fcntl(kept[0], F_GETFL) | O_NONBLOCK)
        pid = child
        input = kept[0]
        output = kept[1]
        errors = kept[2]
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        for descriptor in [input, output, errors] where descriptor >= 0 { close(descriptor) }
        slots?.give()
    }

    /// Queues bytes for the child's standard input; they are written while ``pump(until:deadline:)`` runs.
    public func write(_ bytes: [UInt8]) { pendingInput += bytes }

    /// Closes standard input once everything queued has been written.
    public func closeInput() {
        closeInputWhenWritten = true
        flushInput()
    }

    /// Moves bytes between the test and the child until `condition` holds or `deadline` passes.
    /// - Returns: whether `condition` held.
    @discardableResult
    public func pump(until condition: (ChildProcess) -> Bool, deadline: Date) -> Bool {
        while !condition(self) {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return false }
            flushInput()
            var descriptors: [pollfd] = []
            if output >= 0 { descriptors.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
            if errors >= 0 { descriptors.append(pollfd(fd: errors, events: Int16(POLLIN), revents: 0)) }
            if input >= 0, pendingOffset < pendingInput.count { descriptors.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
            if descriptors.isEmpty {
                // Both outputs are closed: only the exit is left to wait for.
                if reapIfExited() { continue }
                usleep(5000)
                continue
            }
            _ = poll(&descriptors, nfds_t(descriptors.count), Int32(min(remaining, 0.1) * 1000))
            for entry in descriptors where entry.revents != 0 {
                if entry.fd == output { read(&output, into: &standardOutput) }
                if entry.fd == errors { read(&errors, into: &standardError) }
            }
        }
        return true
    }

    /// Writes the rest of standard input, closes it, reads both outputs to their end and reaps the child.
    /// A child still running at `deadline` is killed.
    public func finish(timeout: Double = Subprocess.defaultTimeout) -> SubprocessResult {
        closeInput()
        let deadline = Date().addingTimeInterval(timeout)
        let finished = pump(until: { $0.output < 0 && $0.errors < 0 && $0.reapIfExited() }, deadline: deadline)
        if !finished {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            exitStatus = status
            return SubprocessResult(status: nil, signal: SIGKILL, standardOutput: standardOutput, standardError: standardError, timedOut: true)
        }
        let status = exitStatus ?? 0
        let signal = status & 0x7F
        return SubprocessResult(status: signal == 0 ? (status >> 8) & 0xFF : nil, signal: signal == 0 ? nil : signal,
                                standardOutput: standardOutput, standardError: standardError, timedOut: false)
    }

    /// Sends `signal` to a child that is still running and waits for it to end.
    public func stop(signal: Int32 = SIGINT) {
        guard !reapIfExited() else { return }
        kill(pid, signal)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        exitStatus = status
    }

    /// Whether the child is still running (it may have exited without closing its outputs yet).
    public var isRunning: Bool { !reapIfExited() }

    private func reapIfExited() -> Bool {
        if exitStatus != nil { return true }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = status
            return true
        }
        return false
    }

    private func flushInput() {
        guard input >= 0 else { return }
        while pendingOffset < pendingInput.count {
            let written = pendingInput[pendingOffset...].withUnsafeBytes { Glibc.write(input, $0.baseAddress, $0.count) }
            if written > 0 {
                pendingOffset += written
            } else if written < 0, errno == EAGAIN || errno == EINTR {
                return
            } else {
                // The child closed its end (EPIPE): whatever it did not read is dropped.
                pendingOffset = pendingInput.count
            }
        }
        if closeInputWhenWritten {
            close(input)
            input = -1
        }
    }

    private func read(_ descriptor: inout Int32, into buffer: inout [UInt8]) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            buffer += chunk[0..<count]
        } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
            // End of file; a pseudo-terminal reports EIO once the child has closed it.
            close(descriptor)
            descriptor = -1
        }
    }

    /// The master and slave ends of a new pseudo-terminal, in pipe order (read end first).
    private static func openPseudoTerminal() throws -> [Int32] {
        let master = try LibC.posixOpenpt()(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        guard try LibC.grantpt()(master) == 0, try LibC.unlockpt()(master) == 0, let name = try LibC.ptsname()(master) else {
            let failure = POSIXError(.init(rawValue: errno) ?? .EIO)
            close(master)
            throw failure
        }
        let slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else {
            let failure = POSIXError(.init(rawValue: errno) ?? .EIO)
            close(master)
            throw failure
        }
        return [master, slave]
    }

    /// Writing to a child that has exited must fail with EPIPE, not end the test process.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()
}

/// C library functions that Swift's Glibc module leaves out (they sit behind `_GNU_SOURCE` or
/// `_XOPEN_SOURCE` in the headers), looked up by name in the C library the process already has.
private enum LibC {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "the C library has no \(name)" }
    }

    static func function<T>(_ name: String, as type: T.Type) throws -> T {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { throw Missing(name: name) }
        return unsafeBitCast(address, to: type)
    }

    typealias FileActions = UnsafeMutablePointer<posix_spawn_file_actions_t>
    static func pipe2() throws -> @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32 {
        try function("pipe2", as: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
    }
    static func addCloseFrom() throws -> @convention(c) (FileActions, Int32) -> Int32 {
        try function("posix_spawn_file_actions_addclosefrom_np", as: (@convention(c) (FileActions, Int32) -> Int32).self)
    }
    static func addChdir() throws -> @convention(c) (FileActions, UnsafePointer<CChar>) -> Int32 {
        try function("posix_spawn_file_actions_addchdir_np", as: (@convention(c) (FileActions, UnsafePointer<CChar>) -> Int32).self)
    }
    static func posixOpenpt() throws -> @convention(c) (Int32) -> Int32 {
        try function("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
    }
    static func grantpt() throws -> @convention(c) (Int32) -> Int32 { try function("grantpt", as: (@convention(c) (Int32) -> Int32).self) }
    static func unlockpt() throws -> @convention(c) (Int32) -> Int32 { try function("unlockpt", as: (@convention(c) (Int32) -> Int32).self) }
    static func ptsname() throws -> @convention(c) (Int32) -> UnsafeMutablePointer<CChar>? {
        try function("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
    }
}
