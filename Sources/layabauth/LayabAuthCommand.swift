import ArgumentParser
import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabConsole
import Logging

struct LayabAuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layabauth",
        abstract: "Inspect, decode and verify OAuth2 bearer tokens (JWT).",
        discussion: """
        Tokens are given as an argument, as - (standard input) or as @path (a file). A bare token, "Bearer <token>" and a whole "Authorization: Bearer <token>" line are all accepted.

        Exit status: 0 every token valid; 1 at least one rejected; 2 usage or configuration error; 3 keys could not be obtained.

        Examples:
          layabauth decode eyJhbGciOi...
          layabauth verify @token.txt --jwks https://idp.example/jwks.json
          layabauth verify --issuer https://idp.example --json - < tokens.txt
          layabauth jwks https://idp.example/jwks.json
        """,
        version: LayabAuthVersion.current,
        subcommands: commands,
        defaultSubcommand: InspectCommand.self
    )

    /// The commands; `openapi` comes with the OpenAPI package trait.
    static var commands: [any ParsableCommand.Type] {
        var commands: [any ParsableCommand.Type] = [InspectCommand.self, DecodeCommand.self, VerifyCommand.self, JWKSCommand.self, SignCommand.self,
                                                    DPoPCommand.self, TokenCommand.self]
        #if OpenAPI
        commands.append(OpenAPICommand.self)
        #endif
        return commands
    }
}

@main
enum Main {
    /// Parses and runs, mapping usage errors to exit status 2 (ArgumentParser's default is 64).
    static func main() async {
        // The tool says what went wrong itself (and the inspector owns the terminal): the libraries' log lines,
        // which a server routes to its log, would repeat it on standard error.
        LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        // A mistyped command would otherwise reach the inspector, the default, as its token argument.
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, let command = LayabAuthCommand.subcommand(near: first) {
            Output.error("\"\(first)\" is not a command; did you mean \"\(command)\"? (layabauth --help lists the commands)")
            Foundation.exit(2)
        }
        // `help <name>` of no command would print the general help and succeed.
        if arguments.first == "help", arguments.count > 1, !(LayabAuthCommand.commandNames + ["help"]).contains(arguments[1]) {
            Output.error("no command is named \"\(arguments[1])\" (commands: \(LayabAuthCommand.commandNames.joined(separator: ", ")))")
            Foundation.exit(2)
        }
        do {
            var command = try LayabAuthCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as InputError {
            Output.error(error.description)
            Foundation.exit(2)
        } catch {
            if LayabAuthCommand.exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((LayabAuthCommand.fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            LayabAuthCommand.exit(withError: error)
        }
    }
}

extension LayabAuthCommand {
    /// The command `word` is a slip for: a word of lowercase letters (no token or path is one) within two
    /// edits of a command's name, but not the name itself.
    static func subcommand(near word: String) -> String? {
        guard !word.isEmpty, word.count <= 12, word.allSatisfy({ $0.isASCII && $0.isLowercase }) else { return nil }
        let names = commandNames + ["help"]
        guard !names.contains(word) else { return nil }
        return names.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= min(2, $0.0.count / 2) }.min { $0.1 < $1.1 }?.0
    }

    /// The subcommands' names.
    static var commandNames: [String] { configuration.subcommands.map { $0._commandName } }

    /// Levenshtein distance between two short words.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() { current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))) }
            previous = current
        }
        return previous[b.count]
    }
}

/// Standard error output and the documented exit statuses.
enum Output {
    /// Messages often quote a token or a server's answer: control characters are escaped, one line each.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("layabauth: " + TerminalText.printable(message) + "\n").utf8))
    }

    /// Prints and flushes at once, so that batch results stream through pipes.
    static func line(_ text: String) {
        print(text)
        fflush(nil)
    }

    /// Prints a JSON document on one line, or indented, with what a terminal would act on escaped.
    static func json(_ object: JSONObject, pretty: Bool = false) {
        let value = JSONValue.object(object)
        line(TerminalText.json(pretty ? value.prettyJSONText() : value.jsonText))
    }

    static let rejected = ExitCode(1)
    static let usage = ExitCode(2)
    static let keysUnavailable = ExitCode(3)
}
