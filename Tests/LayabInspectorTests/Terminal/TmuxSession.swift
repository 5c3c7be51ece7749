import Foundation
import Testing

/// The built `layabauth` binary, next to the test bundle in the build folder.
enum Binary {
    static var path: String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("layabauth").path
    }
}

/// A real terminal: a detached tmux session on a server of its own (`tmux -L <unique>`), so that tests
/// running in parallel never see each other's windows. The program runs as
/// `sh -c 'layabauth …; echo EXITED:$?; sleep 30'`, so that its exit status stays readable in the pane.
///
/// Every wait is bounded; `close()` (or deinit) kills the private server and everything in it.
final class TmuxSession {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let socket: String
    private var closed = false

    /// The environment of the tmux client and server: a UTF-8 locale whatever the test runner has, so that
    /// captures hold the box-drawing characters.
    static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        for name in ["TMUX", "TMUX_PANE", "LC_ALL", "LC_CTYPE", "NO_COLOR"] { environment[name] = nil }
        environment["LANG"] = "C.UTF-8"
        return environment
    }()

    /// Starts `layabauth arguments…` in a `width`×`height` window.
    /// - Parameters:
    ///   - environment: variables set for the program only (`-e` of `new-session`).
    ///   - command: a shell command line to run instead; `$LAYABAUTH` names the binary in it.
    init(_ arguments: [String] = [], environment: [String: String] = [:], command: String? = nil, width: Int = 100, height: Int = 30) throws {
        socket = "layabauth-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        var options = ["-f", "/dev/null", "new-session", "-d", "-x", String(width), "-y", String(height), "-e", "LAYABAUTH=\(Binary.path)"]
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) { options += ["-e", "\(name)=\(value)"] }
        let script = (command ?? #""$LAYABAUTH" "$@""#) + #"; echo "EXITED:$?"; sleep 30"#
        try run(options + ["sh", "-c", script, "layabauth"] + arguments)
    }

    deinit { close() }

    /// Kills the private tmux server. Idempotent.
    func close() {
        guard !closed else { return }
        closed = true
        _ = try? run(["kill-server"])
        // The server leaves its socket behind.
        let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        unlink("\(folder)/tmux-\(getuid())/\(socket)")
    }

    /// Runs `tmux -L <socket> arguments…` and returns its standard output.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let result = try Spawn.run(["tmux", "-L", socket] + arguments, environment: Self.environment)
        guard result.status == 0 else {
            throw Failure(description: "tmux \(arguments.prefix(3).joined(separator: " ")) failed (\(result.status)): \(result.errors)")
        }
        return result.output
    }

    /// Presses keys by tmux name (`q`, `Tab`, `NPage`, `C-c`, `Enter`…).
    func press(_ keys: String...) throws {
        try run(["send-keys", "-t", "0"] + keys)
    }

    /// Types `text` literally, character by character as far as the program can tell.
    func type(_ text: String) throws {
        try run(["send-keys", "-t", "0", "-l", "--", text])
    }

    /// Pastes `text` as a terminal does when bracketed paste is on: `ESC [200~ text ESC [201~`.
    func paste(_ text: String) throws {
        // set-buffer carries the text in a tmux message, which has a size limit; large texts go through a file.
        if text.utf8.count < 8 * 1024 {
            try run(["set-buffer", "-b", "test", "--", text])
        } else {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-paste.txt")
            try Data(text.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            try run(["load-buffer", "-b", "test", file.path])
        }
        try run(["paste-buffer", "-p", "-d", "-b", "test", "-t", "0"])
    }

    /// Pastes `bytes` as they are, broken UTF-8 included.
    func paste(bytes: [UInt8]) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-paste.bin")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try run(["load-buffer", "-b", "test", file.path])
        try run(["paste-buffer", "-p", "-d", "-b", "test", "-t", "0"])
    }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", "0", "-x", String(width), "-y", String(height)])
    }

    /// What the pane shows now.
    func capture() throws -> String {
        try run(["capture-pane", "-p", "-t", "0"])
    }

    /// Polls the pane until `condition` holds, at most `timeout` seconds.
    /// The bound is generous (60 s): the first start of the binary competes with the whole suite for two cores.
    /// - Returns: the pane's text when it held.
    /// - Throws: ``Failure`` with the last capture when it never did.
    @discardableResult
    func waitUntil(_ what: String, timeout: Double = 60, _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            // The capture follows the deadline check: when a busy machine delays the sleep past the deadline,
            // the verdict rests on the screen as it is now, not as it was before the delay.
            let expired = Date() >= deadline
            let screen = try capture()
            if condition(screen) { return screen }
            if expired {
                throw Failure(description: "waited \(timeout) s for \(what); the pane shows:\n\(screen)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Polls the pane until it shows every one of `texts`.
    @discardableResult
    func waitFor(_ texts: String..., timeout: Double = 60) async throws -> String {
        try await waitUntil(texts.map { "\"\($0)\"" }.joined(separator: " and "), timeout: timeout) { screen in
            texts.allSatisfy(screen.contains)
        }
    }

    /// Presses q and waits for the program to exit 0, leaving the pane without inspector content.
    func quit(with keys: String = "q") async throws -> String {
        try press(keys)
        return try await waitFor("EXITED:0")
    }
}

/// A folder of files for one test, removed when done.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("layabauth-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `name` and returns the path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }
}

extension TmuxSession {
    /// What the pane shows now, with the SGR sequences of its colours and attributes.
    func captureWithAttributes() throws -> String {
        try run(["capture-pane", "-p", "-e", "-t", "0"])
    }
}

extension String {
    /// The first line holding `fragment`.
    func line(containing fragment: String) -> String? {
        split(separator: "\n", omittingEmptySubsequences: false).first { $0.contains(fragment) }.map(String.init)
    }
}
