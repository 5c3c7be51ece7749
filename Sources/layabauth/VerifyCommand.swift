import ArgumentParser
import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabConsole

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify tokens: signature, exp, nbf, iat, iss, aud and scopes, each check listed.",
        discussion: """
        With - as the only token, standard input holds one token per line (batch mode): one result per line, in order, streamed; keys are fetched once for all tokens.

        Examples:
          layabauth verify eyJhbGciOi... --jwks https://idp.example/jwks.json
          layabauth verify @token.txt --issuer https://idp.example --scope read
          layabauth verify --key public.pem --json - < tokens.txt
          layabauth verify @opaque.txt --client-id api --client-secret-file secret \\
            --introspection-url https://idp.example/introspect
        """
    )

    @Argument(help: ArgumentHelp("Tokens: a token, @path, or - for one token per line on standard input.", valueName: "token"))
    var tokens: [String] = []

    @OptionGroup var keys: KeyOptions
    @OptionGroup var checks: CheckOptions
    @OptionGroup(title: "Step-up authentication (RFC 9470)") var stepUp: StepUpOptions
    @OptionGroup(title: "Token type") var tokenType: TokenTypeOptions
    @OptionGroup var trustedIssuers: TrustedIssuerOptions
    @OptionGroup(title: "Opaque tokens: introspection (RFC 7662)") var introspection: IntrospectionOptions
    @OptionGroup(title: "The client that introspects") var client: ClientOptions
    @OptionGroup(title: "Sender-constrained tokens: the request (RFC 9449 DPoP, RFC 8705)") var binding: BindingOptions

    @Flag(help: "One JSON object per token.")
    var json = false

    func run() async throws {
        guard !tokens.isEmpty else { throw InputError("no token given: pass a token, @path, or - for standard input") }
        let isBatch = tokens == ["-"]
        if !isBatch, tokens.contains("-") { throw InputError("- (standard input) must be the only token") }
        // Every token argument is read before keys are fetched or any token is judged, so that a usage
        // error (an unreadable @file) ends the command with nothing on standard output.
        let texts = isBatch ? [] : try tokens.map { try TokenInput.readText(TokenInput.Source(argument: $0)) }
        let arguments = texts.map(TokenInput.credential)
        if binding.isGiven, isBatch || arguments.count > 1 { throw InputError("--dpop and --client-cert describe one request: give one token") }
        // Read with the token arguments (a usage error prints nothing); also for a token with cnf given without them.
        let bindingRequest = isBatch ? nil : try binding.request()
        var configuration = try checks.configuration(issuer: keys.issuer, allowHMAC: keys.secretFile != nil)
        try tokenType.apply(to: &configuration)
        let authentication = try stepUp.requirement()
        let introspector = try introspection.verifier(client: client, issuer: keys.issuer, caBundle: keys.caBundle, configuration: configuration)
        if introspector == nil, client.isGiven { throw InputError("the client options of verify are for introspection: add --introspection-url or --introspect") }
        let verifier: any ReportingVerifier
        var weakKeys: [WeakKey] = []
        // Without keys, every token is introspected.
        var introspectsAll = false
        if let multiIssuer = try trustedIssuers.verifier(keys: keys, configuration: configuration) {
            // Each issuer's keys are fetched when a token names it: an unavailable one is that token's exit 3.
            verifier = multiIssuer
        } else {
            let (foundSource, foundWeakKeys) = try keys.makeSource(policy: configuration.keyPolicy)
            introspectsAll = introspector != nil && foundSource == nil
            guard let source = foundSource ?? (introspectsAll ? StaticKeySource(.empty) : nil) else {
                throw InputError("no keys to verify with: give --jwks, --issuer, --key or --secret-file (layabauth decode shows a token without verifying)")
            }
            if !introspectsAll {
                do {
                    _ = try await source.currentKeys()
                } catch {
                    Output.error(error.message)
                    throw Output.keysUnavailable
                }
            }
            verifier = try JWKSVerifier(source: source, configuration: configuration)
            weakKeys = foundWeakKeys
        }
        // Every check with the weak keys too: what the report of each token says.
        let reportOf = { (token: String) async in
            await verifier.report(token, requiring: checks.requirement, authentication: authentication).checkingWeakKeys(weakKeys)
        }
        let text = ReportText(style: TextStyle.forOutput(STDOUT_FILENO), now: configuration.clock())
        var outcome = Outcome()

        if isBatch {
            let introspects = { @Sendable [introspection, introspectsAll] (token: String) in introspection.introspects(token, hasKeys: !introspectsAll) }
            outcome = try await runBatch(BatchJudge(json: json, verifier: verifier, requirement: checks.requirement, configuration: configuration,
                                                    authentication: authentication, weakKeys: weakKeys, introspector: introspector.map { ($0, introspects) },
                                                    style: text.style))
        } else {
            for (index, credential) in arguments.enumerated() {
                let report: VerificationReport
                switch credential {
                case let .success(token):
                    noteRemovedWhitespace(in: texts[index], token: arguments.count > 1 ? "token \(index + 1)" : nil)
                    if let introspector, introspection.introspects(token, hasKeys: !introspectsAll) {
                        if arguments.count > 1, !json { Output.line((index > 0 ? "\n" : "") + text.style.bold("Token \(index + 1)")) }
                        outcome.add(await printIntrospection(token, introspector: introspector, authentication: authentication, text: text))
                        continue
                    }
                    report = await reportOf(token)
                case let .failure(error): report = .undecodable(error)
                }
                outcome.add(report)
                let bindingReport: BindingReport? = switch credential {
                case let .success(token): await bindingReport(token, report: report, verifier: verifier, request: bindingRequest, now: text.now)
                case .failure: nil
                }
                if bindingReport?.bindingFailed == true { outcome.rejected = true }
                if json {
                    var writer = JSONWriter()
                    ReportJSON.write(report, binding: bindingReport, to: &writer)
                    writer.lineBreak()
                    Output.write(writer.bytes)
                } else {
                    if arguments.count > 1 { Output.line((index > 0 ? "\n" : "") + text.style.bold("Token \(index + 1)")) }
                    Output.line(text.report(report, bindingFailed: bindingReport?.bindingFailed == true) + (bindingReport.map(text.binding) ?? ""))
                }
            }
        }
        if outcome.keysUnavailable { throw Output.keysUnavailable }
        if outcome.rejected { throw Output.rejected }
    }

    /// What the tokens came to, for the exit status: 3 when keys could not be obtained for a token (its
    /// result is unknown, and a retry may change it), else 1 when one was rejected, else 0.
    struct Outcome {
        var rejected = false
        var keysUnavailable = false

        /// - Parameter report: nil for a token found valid without a report.
        mutating func add(_ report: VerificationReport?) {
            guard let first = report?.errors.first else { return }
            if first.code == .jwksUnavailable { keysUnavailable = true } else { rejected = true }
        }
    }

    /// The longest batch line kept: as much as a single token may hold, with room for an
    /// `Authorization: Bearer ` prefix and surrounding spaces. Longer lines are skipped, not stored.
    static let lineLimit = TokenInput.maximumBytes + 1024

    /// Says on standard error where the token was taken from (a curl command, a token endpoint response) and
    /// that whitespace inside it was removed (a pasted token wrapped across lines): the token verified is not
    /// the text given, nor the one a server would receive as sent.
    /// - Parameter token: which token, when there are several ("token 2", "line 7").
    private func noteRemovedWhitespace(in text: String, token: String?) {
        for notice in Self.removedWhitespaceNotices(in: text, token: token) { Output.error(notice) }
    }

    /// The notices of ``noteRemovedWhitespace(in:token:)``.
    static func removedWhitespaceNotices(in text: String, token: String?) -> [String] {
        let extraction = TokenInput.extract(text)
        return [extraction.notice, extraction.removed?.notice].compactMap { $0 }.map { (token.map { "\($0): " } ?? "") + $0 }
    }
}
