import ArgumentParser
import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabConsole

struct JWKSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jwks",
        abstract: "List the keys of a JWK Set: kid, type, algorithm, use, size, thumbprint, certificate; skipped keys with their reason.",
        discussion: """
        Examples:
          layabauth jwks https://idp.example/jwks.json
          layabauth jwks --issuer https://idp.example --json
          layabauth jwks https://idp.example/jwks.json --watch --interval 30

        --watch keeps refreshing the keys, when they expire or every --interval seconds, and prints each
        event of the key source as a server logs it (retrievals, failures, key set changes), with times,
        until interrupted; with --json, one JSON object per event per line.

        Exit status: 0 at least one usable key; 2 usage error; 3 no usable key could be obtained (with --json,
        a set in which no key is usable is still printed, each skipped key with its reason).
        """
    )

    @Argument(help: ArgumentHelp("JWKS URI: https://, http://, file:// or a path.", valueName: "uri"))
    var uri: String?

    @Option(help: ArgumentHelp("Find the JWKS by OIDC discovery from this issuer.", valueName: "url"))
    var issuer: String?

    @Option(name: .customLong("ca-bundle"), help: ArgumentHelp("PEM CA certificates to trust for https.", valueName: "file"))
    var caBundle: String?

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Keep refreshing and print the key source's events until interrupted.")
    var watch = false

    @Option(help: ArgumentHelp("With --watch: seconds between refreshes (default: when the keys expire).", valueName: "seconds"))
    var interval: Double?

    func validate() throws {
        if let interval {
            guard watch else { throw ValidationError("--interval is for --watch") }
            guard interval.isFinite, interval > 0 else { throw ValidationError("--interval must be a number of seconds above 0, not \(interval)") }
        }
    }

    func run() async throws {
        let options = try KeyOptions.httpOptions(caBundle: caBundle)
        let source: any KeySource
        switch (uri, issuer) {
        case let (uri?, nil):
            do { source = try RemoteKeySource(uri: uri, options: options, observability: JWKSWatch.observability) } catch { throw InputError(error.message) }
        case let (nil, issuer?):
            source = try DiscoveryKeySource(issuer: try DiscoverableIssuer.validated(issuer), options: options,
                                            observability: JWKSWatch.observability)
        default:
            throw InputError("give a JWKS URI or --issuer (one of them)")
        }
        if watch { return try await JWKSWatch(source: source, interval: interval, json: json).run() }
        let keys: KeySet
        do { keys = try await source.currentKeys() } catch {
            Output.error(error.message)
            // A set without one usable key is still listed in JSON, each key with the reason it was skipped:
            // the reasons are what the person came for. The exit status still says no key is usable.
            let status = await source.status()
            if json, let unusable = status.unusableKeys { printJSON(status, unusable) }
            throw Output.keysUnavailable
        }
        let status = await source.status()
        let now = SystemClock.now()
        if json {
            printJSON(status, keys)
            return
        }
        let style = TextStyle.forOutput(STDOUT_FILENO)
        KeyDescription.statusLines(status, now: now).forEach { Output.line(style.muted(TerminalText.printable($0))) }
        Output.line("")
        Output.line(style.bold("\(keys.keys.count) usable key\(keys.keys.count == 1 ? "" : "s")") + (keys.skipped.isEmpty ? "" : style.warning(", \(keys.skipped.count) skipped")))
        for key in keys.keys {
            // Everything but the thumbprint and the shape comes from the key set as published.
            let kid = key.kid.map { "\"\(TerminalText.printable($0))\"" } ?? "(no kid)"
            var facts = [KeyDescription.shape(key)]
            if let alg = key.algorithm { facts.append("alg \(alg)") }
            if let use = key.use { facts.append("use \(use)") }
            Output.line("  \(style.accent(kid))  \(TerminalText.printable(facts.joined(separator: "  ")))")
            Output.line(style.muted("      thumbprint \(key.thumbprint)"))
            KeyDescription.noteLines(key).forEach { Output.line("      " + style.warning(TerminalText.printable($0))) }
            if let certificate = key.certificate {
                let validity = [certificate.notBefore, certificate.notAfter].map { $0.map(TimeText.iso8601) ?? "?" }
                Output.line(style.muted("      x5c \(TerminalText.printable(certificate.subject)), valid \(validity[0]) to \(validity[1])"))
            }
        }
        for skipped in keys.skipped { Output.line("  " + style.warning("skipped") + " " + TerminalText.printable(skipped.description)) }
    }

    /// The source's status with the usable and the skipped keys of `keys`.
    private func printJSON(_ status: KeySourceStatus, _ keys: KeySet) {
        var object = KeyDescription.json(status)
        object["keys"] = .array(keys.keys.map { .object(KeyDescription.json($0)) })
        object["skipped"] = .array(keys.skipped.map { .object(KeyDescription.json($0)) })
        Output.json(object, pretty: true)
    }
}
