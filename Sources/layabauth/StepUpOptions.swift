import ArgumentParser
import LayabAuth
import LayabConsole

/// `--acr` and `--max-age`: a route's step-up requirement (RFC 9470), checked after the scopes.
struct StepUpOptions: ParsableArguments {
    @Option(help: ArgumentHelp("An accepted acr value (repeatable); the token's acr must be one of them (RFC 9470).", valueName: "acr"))
    var acr: [String] = []

    @Option(name: .customLong("max-age"),
            help: ArgumentHelp("The longest time since the user authenticated (auth_time), in seconds or as a duration (300, 5m, 1h30m).",
                               valueName: "seconds"))
    var maxAge: String?

    /// The requirement the options describe; nil when neither is given.
    func requirement() throws -> AuthenticationRequirement? {
        guard !acr.isEmpty || maxAge != nil else { return nil }
        return AuthenticationRequirement(acceptedACRs: acr, maxAge: try maxAge.map(Self.seconds))
    }

    /// Whole seconds (`300`) or a duration (`5m`, `1h30m`), never negative.
    static func seconds(_ text: String) throws -> Double {
        if !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), text.utf8.count <= 12, let seconds = Double(text) { return seconds }
        if !text.hasPrefix("-"), !text.hasPrefix("+"), let seconds = TimeArgument.duration(text) { return Double(seconds) }
        throw InputError("--max-age \"\(text)\" is not a duration: give seconds (300) or a duration (5m, 2h, 1h30m; units s m h d w)")
    }
}
