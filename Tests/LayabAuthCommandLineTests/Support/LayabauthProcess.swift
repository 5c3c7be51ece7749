import Foundation
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import Testing

/// What a finished `layabauth` run left behind.
typealias CommandResult = SubprocessResult

extension ChildProcess {
    /// At most this many `layabauth` children run at once. Swift Testing starts every test case together; a
    /// hundred binaries competing for two shared cores would starve the timing-sensitive tests of other suites
    /// running in the same process.
    static let layabauthSlots = ProcessSlots(width: 3)

    /// Starts the `layabauth` binary built beside the tests.
    /// - Parameters:
    ///   - environment: added to the test's environment, from which `NO_COLOR` is removed first;
    ///     a nil value removes the variable.
    ///   - terminal: give the child a pseudo-terminal as standard output instead of a pipe.
    convenience init(_ arguments: [String], environment: [String: String?] = [:], terminal: Bool = false) throws {
        var changes: [String: String?] = ["NO_COLOR": nil]
        changes.merge(environment) { $1 }
        try self.init(executable: Binary.url.path, arguments: arguments, environment: changes,
                      output: terminal ? .terminal : .pipes, slots: Self.layabauthSlots)
    }
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

/// Runs `layabauth` with `text` on standard input.
func layabauth(_ arguments: [String], input text: String, environment: [String: String?] = [:],
               sourceLocation: SourceLocation = #_sourceLocation) async throws -> CommandResult
{
    try await layabauth(arguments, input: Array(text.utf8), environment: environment, sourceLocation: sourceLocation)
}
