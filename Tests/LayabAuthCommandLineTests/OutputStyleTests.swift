import Foundation
import LayabAuth
import LayabAuthTesting
import Testing

/// The human-readable commands, each with the files it needs.
enum StyledCommand: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case decode = "decode"
    case verifyValid = "verify (valid)"
    case verifyRejected = "verify (rejected)"
    case verifyBatch = "verify - (batch)"
    case jwks = "jwks"

    var testDescription: String { rawValue }

    func arguments(_ issuer: TestIssuer, _ directory: TemporaryDirectory) throws -> (arguments: [String], input: String) {
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        switch self {
        case .decode: return (["decode", try issuer.token()], "")
        case .verifyValid: return (["verify", try issuer.token(), "--key", keyFile, "--scope", "read"], "")
        case .verifyRejected: return (["verify", try issuer.token(), "--key", keyFile, "--scope", "admin"], "")
        case .verifyBatch: return (["verify", "-", "--key", keyFile], try issuer.token() + "\n\n")
        case .jwks: return (["jwks", keyFile], "")
        }
    }
}

@Suite("Colour only on a terminal, NO_COLOR honoured", .fewAtATime)
struct OutputStyleTests {
    @Test("output to a pipe has no ANSI escapes", arguments: StyledCommand.allCases)
    func pipe(command: StyledCommand) async throws {
        let directory = try TemporaryDirectory()
        let (arguments, input) = try command.arguments(try TestIssuer(), directory)
        let result = try await layabauth(arguments, input: input)
        #expect((result.status ?? 99) <= 1, "\(result)")
        #expect(!result.output.isEmpty)
        #expect(!result.output.hasANSIEscape, "\(result)")
        #expect(!result.errorOutput.hasANSIEscape, "\(result)")
    }

    @Test("on a terminal the output is coloured, unless NO_COLOR is set", arguments: StyledCommand.allCases)
    func terminal(command: StyledCommand) async throws {
        let directory = try TemporaryDirectory()
        let (arguments, input) = try command.arguments(try TestIssuer(), directory)
        let coloured = try await layabauth(arguments, input: Array(input.utf8), terminal: true)
        #expect(coloured.output.hasANSIEscape, "a terminal without NO_COLOR gets colour: \(coloured)")
        let emptyNoColor = try await layabauth(arguments, input: Array(input.utf8), environment: ["NO_COLOR": ""], terminal: true)
        #expect(emptyNoColor.output.hasANSIEscape, "an empty NO_COLOR does not count (no-color.org): \(emptyNoColor)")
        let plain = try await layabauth(arguments, input: Array(input.utf8), environment: ["NO_COLOR": "1"], terminal: true)
        #expect(!plain.output.isEmpty, "\(plain)")
        #expect(!plain.output.hasANSIEscape, "\(plain)")
        #expect(plain.status == coloured.status)
    }

    @Test("JSON output has no ANSI escapes even on a terminal")
    func jsonOnTerminal() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        for arguments in [["verify", "--json", try issuer.token(), "--key", keyFile], ["decode", "--json", try issuer.token()], ["jwks", "--json", keyFile]] {
            let result = try await layabauth(arguments, terminal: true)
            #expect(result.status == 0, "\(result)")
            #expect(!result.output.hasANSIEscape, "\(arguments[0]): \(result)")
        }
    }
}
