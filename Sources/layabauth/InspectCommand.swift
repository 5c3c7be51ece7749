import ArgumentParser
import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabInspector
import LayabConsole

struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "The interactive inspector: paste a token and see its header, claims, signature, expiry countdown and scope matches live.",
        discussion: """
        Without a token or a key source it opens the built-in demo (no network needed). Press ? inside for every key binding.

        With --client-id the inspector fetches its token itself (client credentials; --scope is asked for and required), shows the token response beside it, fetches a new one when it expires, and F fetches one at once.

        Examples:
          layabauth
          layabauth inspect @token.txt --jwks https://idp.example/jwks --scope read
          layabauth inspect --issuer https://idp.example --theme light
          layabauth inspect @token.txt --jwks jwks.json --signing-key what-if.pem
          layabauth inspect --trust-issuer https://a.example/ \\
            --trust-issuer https://b.example/
          layabauth inspect --issuer https://idp.example --scope read \\
            --client-id api --client-secret-file secret.txt

        """
    )

    @Argument(help: ArgumentHelp("A token, @path, or - for standard input.", valueName: "token"))
    var token: String?

    @OptionGroup var keys: KeyOptions
    @OptionGroup(title: "Several trusted issuers: the token's iss picks whose keys check it") var trustedIssuers: TrustedIssuerOptions
    @OptionGroup var checks: CheckOptions
    @OptionGroup(title: "Step-up authentication (RFC 9470)") var stepUp: StepUpOptions
    @OptionGroup(title: "Token type") var tokenType: TokenTypeOptions
    @OptionGroup(title: "Fetching the token from a provider (client credentials, or the device grant)") var client: ClientOptions
    @OptionGroup(title: "Opaque tokens: introspection (RFC 7662), with the client options") var introspection: IntrospectionOptions

    @OptionGroup(title: "Sender-constrained tokens: the request (RFC 9449 DPoP, RFC 8705); P and R inside") var binding: BindingOptions

    @Flag(help: "Fetch the token with the device authorization grant (RFC 8628): the screen shows the user code and where to enter it until approved.")
    var device = false

    @Option(help: ArgumentHelp("A theme name (default, light, solarized, high-contrast, monochrome) or a path to a .theme file.", valueName: "name|path"))
    var theme: String = "default"

    @Flag(help: "Open the built-in demo: an in-memory issuer and sample tokens.")
    var demo = false

    @Option(help: ArgumentHelp("A private key (PEM or JWK file) that what-if edits (E, H) re-sign with; without it a key of the token's algorithm (ES256 when unknown) is generated. Its public key is trusted as LOCAL, never as the provider's.", valueName: "file"))
    var signingKey: String?

    func run() async throws {
        let now = SystemClock.now()
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let chosenTheme: Theme
        do { chosenTheme = noColor ? .monochrome : try ThemeLoader.load(theme) } catch { throw InputError(error.description) }

        var state: InspectorState
        var source: (any KeySource)?
        var introspector: IntrospectionVerifier?
        let (tokenRequest, deviceEndpoint) = try await self.tokenRequest() ?? (nil, nil)
        if demo || (token == nil && !keys.hasAnyKeys && !trustedIssuers.isEnabled && tokenRequest == nil) {
            if demo, trustedIssuers.isEnabled { throw InputError("--demo shows the built-in samples against the demo issuer: leave out the trusted issuers") }
            do { state = try DemoIssuer.state(now: now, clock: SystemClock.now) } catch { throw InputError("the demo could not start: \(error.message)") }
        } else {
            state = InspectorState()
            var configuration = try checks.configuration(issuer: keys.issuer, allowHMAC: keys.secretFile != nil)
            try tokenType.apply(to: &configuration)
            state.algorithms = configuration.algorithms
            state.requiredTypes = configuration.requiredTypes
            state.requiredClaims = configuration.requiredClaims
            state.issuer = keys.issuer
            state.audiences = checks.audience
            state.requiredScopes = checks.scope
            state.authenticationRequirement = try stepUp.requirement()
            state.leeway = checks.leeway
            introspector = try introspection.verifier(client: client, issuer: keys.issuer, caBundle: keys.caBundle, configuration: configuration)
            state.introspectionEndpoint = introspection.introspectionURL ?? keys.issuer.map { "\($0) (introspection_endpoint)" }
            if introspector == nil { state.introspectionEndpoint = nil }
            if let multi = try trustedIssuers.verifier(keys: keys, configuration: configuration) {
                state.trustedIssuers = multi
                state.keySourceDescription = InspectorState.noIssuerDescription
            } else {
                (source, state.weakKeys) = try keys.makeSource(policy: configuration.keyPolicy)
                state.keySourceDescription = source == nil ? "no key source (j: JWKS URI, d: discovery)" : keys.jwks ?? keys.keyFile ?? keys.secretFile ?? keys.issuer.map { "\($0) (discovery)" } ?? "keys"
            }
            if let token {
                if token == "-", isatty(STDIN_FILENO) == 1 { throw InputError("- reads the token from standard input, which is a terminal here: paste it inside instead") }
                // As read: the inspector removes prefixes and whitespace itself, and says what it removed.
                state.tokenText = try TokenInput.readText(TokenInput.Source(argument: token))
                if token == "-" { try reopenTerminalInput() }
            }
        }
        state.bindingRequest = try binding.request()
        if let signingKey {
            let text: String
            do { text = try String(contentsOfFile: signingKey, encoding: .utf8) } catch { throw InputError("cannot read the signing key \(signingKey): \(error.localizedDescription)") }
            do { state.whatIf = WhatIf(givenKey: try WhatIf.signingKey(fromText: text)) } catch { throw InputError("--signing-key \(signingKey): \(error.description)") }
        }
        if !state.tokenText.isEmpty { state.history.record(state.tokenText, origin: demo || state.isDemo ? "demo sample 1" : "given at start") }
        let runtime = InspectorRuntime(state: state, source: source, backend: NCursesBackend(theme: chosenTheme, useColor: !noColor && chosenTheme.name != "monochrome"),
                                       options: HTTPOptions(caBundlePath: keys.caBundle), tokenRequest: tokenRequest, deviceAuthorizationEndpoint: deviceEndpoint,
                                       introspector: introspector)
        let failure: String? = await withCheckedContinuation { continuation in
            // The terminal loop blocks: it gets a thread of its own, off Swift's cooperative pool.
            let thread = Thread {
                do {
                    try runtime.run()
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: "\(error)")
                }
            }
            thread.name = "layabauth-inspector"
            thread.start()
        }
        if let failure { throw InputError(failure) }
    }

    /// The request the inspector sends for its token, when a client is given: to --token-url, else to the token
    /// endpoint discovered from --issuer; the scopes of --scope. With --device, the device authorization endpoint too.
    private func tokenRequest() async throws -> (TokenRequest, deviceEndpoint: String?)? {
        // With introspection, the client options are the introspecting client's: a token given is not fetched.
        guard (client.isGiven && !(introspection.isGiven && token != nil)) || device else { return nil }
        guard let clientID = client.clientID else { throw InputError("fetching a token needs --client-id") }
        if demo { throw InputError("--demo shows the built-in samples: it fetches no token (leave out --demo or the client options)") }
        if token != nil { throw InputError("give a token or --client-id (the inspector fetches its token), not both") }
        if client.deviceURL != nil, !device { throw InputError("--device-url goes with --device") }
        let authentication = try client.authentication(publicClientAllowed: device)
        let options = try KeyOptions.httpOptions(caBundle: keys.caBundle)
        do {
            let endpoints = try await client.endpoints(issuer: client.tokenURL == nil ? keys.issuer : nil, options: options)
            let request = TokenRequest(endpoint: endpoints.token, clientID: clientID, authentication: authentication, scopes: checks.scope,
                                       resources: client.resource, options: options)
            guard device else { return (request, nil) }
            guard let deviceEndpoint = endpoints.deviceAuthorization else {
                throw InputError("no device authorization endpoint: the discovery document lists none; give --device-url")
            }
            return (request, deviceEndpoint)
        } catch let error as ProviderError {
            Output.error(error.redacting([authentication.secret].compactMap { $0 }).description)
            throw error.kind == .refused ? Output.rejected : Output.keysUnavailable
        }
    }

    /// After reading a token from a pipe, keyboard input comes from the controlling terminal.
    private func reopenTerminalInput() throws {
        let terminal = open("/dev/tty", O_RDONLY)
        guard terminal >= 0 else { throw InputError("the token came from standard input and there is no terminal to read keys from") }
        dup2(terminal, STDIN_FILENO)
        close(terminal)
    }
}
