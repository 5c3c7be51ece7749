import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to its end, its output in files.
///
/// Not Foundation's `Process`: it learns that a child ended from a socket the child inherits, and a child
/// that starts a daemon (`tmux new-session` starts the tmux server) passes the socket on, so
/// `waitUntilExit` waited for the daemon. Here the child gets standard input from /dev/null, its output
/// in files, no other descriptor, and default signal handling.
enum Spawn {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34), which Swift's Glibc module does not declare.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: CloseFrom.self) }

    static func run(_ arguments: [String], environment: [String: String]) throws -> Result {
        let folder = FileManager.default.temporaryDirectory
        let name = "layabauth-spawn-\(UUID().uuidString)"
        let outputPath = folder.appendingPathComponent(name + ".out").path
        let errorPath = folder.appendingPathComponent(name + ".err").path
        defer {
            unlink(outputPath)
            unlink(errorPath)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Nothing else of this process (other tests' pipes and sockets) must live on in a daemon.
        if let closeFrom = closeFrom { _ = closeFrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw Failure(description: "cannot start \(arguments[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw Failure(description: "waiting for \(arguments[0]): \(String(cString: strerror(errno)))") }
        }
        let read = { (path: String) in (FileManager.default.contents(atPath: path)).map { String(decoding: $0, as: UTF8.self) } ?? "" }
        // Exited normally: the exit status; killed by a signal: 128 + the signal, as shells report it.
        let exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Result(status: exitStatus, output: read(outputPath), errors: read(errorPath))
    }
}
