import Foundation
import LayabAuthJWKS
import LayabAuthTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What a finished `layabauth` run left behind.
struct CommandResult: Sendable, CustomStringConvertible {
    /// The exit status, nil when the process was ended by a signal.
    let status: Int32?
    /// The signal that ended the process, if one did.
    let signal: Int32?
    let standardOutput: [UInt8]
    let standardError: [UInt8]
    /// The run outlasted its deadline and was killed.
    let timedOut: Bool

    var output: String { String(decoding: standardOutput, as: UTF8.self) }
    var errorOutput: String { String(decoding: standardError, as: UTF8.self) }
    /// Standard output split into lines, without the empty string after the last line break.
    var outputLines: [String] {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    var description: String {
        let end = timedOut ? "timed out" : status.map { "exit \($0)" } ?? "signal \(signal ?? -1)"
        return "\(end)\n--- stdout ---\n\(output.prefix(4000))\n--- stderr ---\n\(errorOutput.prefix(4000))"
    }
}

/// A `layabauth` child process with its standard streams held by the test.
///
/// Spawned with `posix_spawn` rather than `Process` for three reasons the tests depend on: the child's
/// standard output can be a pseudo-terminal, every other descriptor of the test process is closed in the
/// child (a test server's listening socket must not survive in an unrelated child, or a "stopped" server
/// would still accept connections), and signal dispositions are reset (the test process ignores SIGPIPE).
final class ChildProcess {
    let pid: pid_t
    private var input: Int32
    private var output: Int32
    private var errors: Int32
    private(set) var standardOutput: [UInt8] = []
    private(set) var standardError: [UInt8] = []
    private var pendingInput: [UInt8] = []
    private var pendingOffset = 0
    private var closeInputWhenWritten = false
    private var exitStatus: Int32?

    /// Starts the binary.
    /// - Parameters:
    ///   - environment: added to the test's environment, from which `NO_COLOR` is removed first;
    ///     a nil value removes the variable.
    ///   - terminal: give the child a pseudo-terminal as standard output instead of a pipe.
    init(_ arguments: [String], environment: [String: String?] = [:], terminal: Bool = false) throws {
        Self.ignoreBrokenPipes
        Self.slots.wait()
        var spawned = false
        defer { if !spawned { Self.slots.signal() } }
        var inputPipe: [Int32] = [-1, -1], outputPipe: [Int32] = [-1, -1], errorPipe: [Int32] = [-1, -1]
        guard LibC.pipe2(&inputPipe, O_CLOEXEC) == 0, LibC.pipe2(&errorPipe, O_CLOEXEC) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        if terminal {
            outputPipe = try Self.openPseudoTerminal()
        } else {
            guard LibC.pipe2(&outputPipe, O_CLOEXEC) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        _ = LibC.addCloseFrom(&actions, 3)

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
        variables["NO_COLOR"] = nil
        for (name, value) in environment { variables[name] = value }
        let path = Binary.url.path
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, path, &actions, &attributes, argv, envp)
        close(inputPipe[0])
        close(outputPipe[1])
        close(errorPipe[1])
        guard status == 0 else {
            close(inputPipe[1])
            close(outputPipe[0])
            close(errorPipe[0])
            throw POSIXError(.init(rawValue: status) ?? .EIO)
        }
        spawned = true
        pid = child
        input = inputPipe[1]
        output = outputPipe[0]
        errors = errorPipe[0]
        _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        for descriptor in [input, output, errors] where descriptor >= 0 { close(descriptor) }
        Self.slots.signal()
    }

    /// At most this many children run at once. Swift Testing starts every test case together; a hundred
    /// binaries competing for two shared cores would starve the timing-sensitive tests of other suites
    /// running in the same process.
    private static let slots = DispatchSemaphore(value: 3)

    /// Queues bytes for the child's standard input; they are written while ``pump(until:deadline:)`` runs.
    func write(_ bytes: [UInt8]) { pendingInput += bytes }

    /// Closes standard input once everything queued has been written.
    func closeInput() {
        closeInputWhenWritten = true
        flushInput()
    }

    /// Moves bytes between the test and the child until `condition` holds or `deadline` passes.
    /// - Returns: whether `condition` held.
    @discardableResult
    func pump(until condition: (ChildProcess) -> Bool, deadline: Date) -> Bool {
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
    func finish(timeout: Double = 60) -> CommandResult {
        closeInput()
        let deadline = Date().addingTimeInterval(timeout)
        let finished = pump(until: { $0.output < 0 && $0.errors < 0 && $0.reapIfExited() }, deadline: deadline)
        if !finished {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            exitStatus = status
            return CommandResult(status: nil, signal: SIGKILL, standardOutput: standardOutput, standardError: standardError, timedOut: true)
        }
        let status = exitStatus ?? 0
        let signal = status & 0x7F
        return CommandResult(status: signal == 0 ? (status >> 8) & 0xFF : nil, signal: signal == 0 ? nil : signal,
                             standardOutput: standardOutput, standardError: standardError, timedOut: false)
    }

    /// Whether the child is still running (it may have exited without closing its outputs yet).
    var isRunning: Bool { !reapIfExited() }

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
        let master = LibC.posixOpenpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0, LibC.grantpt(master) == 0, LibC.unlockpt(master) == 0, let name = LibC.ptsname(master) else {
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        let slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return [master, slave]
    }

    /// Writing to a child that has exited must fail with EPIPE, not end the test process.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()
}

/// Runs `layabauth` to completion with `input` on standard input.
/// - Parameters:
///   - environment: changes to the environment (`NO_COLOR` is removed unless given here).
///   - timeout: seconds before the run is killed and the test fails, so that a hang cannot block the suite.
func layabauth(_ arguments: [String], input: [UInt8] = [], environment: [String: String?] = [:], terminal: Bool = false,
               timeout: Double = 60, sourceLocation: SourceLocation = #_sourceLocation) async throws -> CommandResult
{
    let result = try await OwnThread.run {
        let child = try ChildProcess(arguments, environment: environment, terminal: terminal)
        child.write(input)
        return child.finish(timeout: timeout)
    }
    if result.timedOut { Issue.record("layabauth \(arguments.joined(separator: " ")) did not finish within \(timeout)s", sourceLocation: sourceLocation) }
    if let signal = result.signal, !result.timedOut { Issue.record("layabauth was ended by signal \(signal)\n\(result)", sourceLocation: sourceLocation) }
    return result
}

/// Runs `body` on a thread of its own: a child process is driven with blocking poll(2), which must not
/// hold one of the few threads of Swift's concurrency pool.

/// Runs another program (a shell, a syntax checker) to its end on a thread of its own.
/// - Returns: its exit status and what it wrote on standard error.
func runProgram(_ path: String, _ arguments: [String]) async throws -> (status: Int32, errors: String) {
    try await OwnThread.run { () throws -> (Int32, String) in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}

/// Runs `layabauth` with `text` on standard input.
func layabauth(_ arguments: [String], input text: String, environment: [String: String?] = [:],
               sourceLocation: SourceLocation = #_sourceLocation) async throws -> CommandResult
{
    try await layabauth(arguments, input: Array(text.utf8), environment: environment, sourceLocation: sourceLocation)
}

/// C library functions that Swift's Glibc module leaves out (they sit behind `_GNU_SOURCE` or
/// `_XOPEN_SOURCE` in the headers), looked up by name in the C library the process already has.
private enum LibC {
    static func function<T>(_ name: String, as type: T.Type) -> T {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("the C library has no \(name)") }
        return unsafeBitCast(address, to: type)
    }

    static let pipe2 = function("pipe2", as: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
    static let addCloseFrom = function("posix_spawn_file_actions_addclosefrom_np",
                                       as: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    static let posixOpenpt = function("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
    static let grantpt = function("grantpt", as: (@convention(c) (Int32) -> Int32).self)
    static let unlockpt = function("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
    static let ptsname = function("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
}
