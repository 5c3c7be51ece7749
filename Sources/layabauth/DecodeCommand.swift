import ArgumentParser
import Foundation
import LayabAuth
import LayabConsole

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Show a token's header and claims without verifying anything.",
        discussion: """
        The output is labelled UNVERIFIED: decoding proves nothing about who made the token. A token that every verifier refuses before looking at keys (alg none, crit, b64: false, no signature) is still shown, with the reason (REFUSED; "refusal" in JSON). Timestamps are shown as the number, ISO 8601 UTC and relative time.

        Examples:
          layabauth decode eyJhbGciOi...
          layabauth decode --json - < token.txt
        """
    )

    @Argument(help: ArgumentHelp("The token, @path, or - for standard input (the default).", valueName: "token"))
    var token: String = "-"

    @Flag(help: "Print JSON: header, claims, timestamps and refusal (or null), with \"verified\": false.")
    var json = false

    func run() throws {
        let source = TokenInput.Source(argument: token)
        if source == .standardInput, isatty(STDIN_FILENO) == 1 {
            Output.error("reading a token from standard input: paste it, then press Ctrl-D")
        }
        let text = try TokenInput.readText(source)
        let decoded: DecodedToken
        do { decoded = try Verifier.decodeUnverified(try TokenInput.credential(text).get()) } catch {
            Output.error("\(error.code.rawValue): \(error.message)")
            throw Output.rejected
        }
        let report = ReportText(style: TextStyle.forOutput(STDOUT_FILENO), now: SystemClock.now())
        if json {
            var object = JSONObject()
            object["verified"] = false
            object["refusal"] = decoded.refusal.map { ["code": .string($0.code.rawValue), "message": .string($0.message)] } ?? .null
            object["header"] = .object(decoded.header.members)
            object["claims"] = decoded.claims.map { .object($0.members) } ?? .null
            if decoded.claims == nil { object["payload"] = .string(String(decoding: decoded.payload, as: UTF8.self)) }
            var times = JSONObject()
            for name in ClaimNames.timestamps.sorted() {
                guard let seconds = decoded.claims?[name]?.doubleValue else { continue }
                let dates = report.dateTexts(seconds)
                times[name] = ["value": .number(seconds), "iso8601": dates.map { JSONValue.string($0.iso8601) } ?? .null,
                               "relative": dates.map { JSONValue.string($0.relative) } ?? .null]
            }
            object["timestamps"] = .object(times)
            object["signatureBytes"] = .integer(Int64(decoded.signature.count))
            Output.json(object, pretty: true)
        } else {
            Output.line(report.decoded(decoded))
        }
    }
}
