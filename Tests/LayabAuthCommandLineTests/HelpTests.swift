import Foundation
import LayabAuthTesting
import TestSupport
import Testing

@Suite("layabauth --help and shell completions", .fewAtATime)
struct HelpTests {
    #if OpenAPI
    static let subcommands = ["decode", "verify", "jwks", "openapi", "inspect"]
    #else
    static let subcommands = ["decode", "verify", "jwks", "inspect"]
    #endif

    @Test("each subcommand's --help has an Examples: block of its own commands, unbroken at 80 columns", arguments: subcommands)
    func examples(subcommand: String) async throws {
        // ArgumentParser wraps help to the terminal width (80 when standard output is a pipe): an example
        // longer than that is broken in two and can no longer be pasted.
        let result = try await layabauth([subcommand, "--help"], environment: ["COLUMNS": "80"])
        #expect(result.status == 0, "\(result)")
        let lines = result.outputLines
        let start = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "Examples:" }, "\(result)")
        let commands = Self.commands(lines[(start + 1)...].prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        #expect(!commands.isEmpty, "\(result)")
        let own = subcommand == "inspect" ? ["layabauth", "layabauth inspect"] : ["layabauth \(subcommand)"]
        for command in commands {
            #expect(own.contains { command == $0 || command.hasPrefix($0 + " ") }, "not a whole example of \(subcommand): \(command)")
        }
    }

    /// Example lines as commands: a line ending in a backslash continues on the next.
    static func commands(_ lines: some Sequence<String>) -> [String] {
        var commands: [String] = []
        var continues = false
        for line in lines {
            let text = line.trimmingCharacters(in: .whitespaces)
            if continues, let last = commands.popLast() {
                commands.append(String(last.dropLast()) + text)
            } else {
                commands.append(text)
            }
            continues = text.hasSuffix("\\")
        }
        return commands
    }

    @Test("layabauth --help lists the subcommands and has examples")
    func rootHelp() async throws {
        let result = try await layabauth(["--help"])
        #expect(result.status == 0, "\(result)")
        #expect(result.output.contains("Examples:"), "\(result)")
        for subcommand in Self.subcommands {
            #expect(result.outputLines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(subcommand + " ") }, "\(subcommand) missing: \(result)")
        }
    }

    @Test("--generate-completion-script writes a non-empty script that knows verify", arguments: ["bash", "zsh", "fish"])
    func completions(shell: String) async throws {
        let result = try await layabauth(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result)")
        #expect(result.errorOutput.isEmpty, "\(result)")
        #expect(!result.output.isEmpty)
        #expect(result.output.contains("verify"), "\(result)")
        #expect(result.output.contains("secret-file"), "options are completed too: \(result)")
    }

    @Test("bash -n accepts the bash completion script")
    func bashSyntax() async throws {
        let result = try await layabauth(["--generate-completion-script", "bash"])
        #expect(result.status == 0, "\(result)")
        let directory = try TemporaryDirectory()
        let script = try directory.write("layabauth.bash", result.output)
        let check = try await Subprocess.run("/bin/bash", ["-n", script])
        #expect(check.status == 0, "bash -n: \(check.errorOutput)")
    }
}
