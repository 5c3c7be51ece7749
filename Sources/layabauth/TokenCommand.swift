import ArgumentParser
import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabConsole

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Fetch an access token from an OAuth 2.0 provider: client credentials, device authorization or refresh.",
        discussion: """
        Prints the access token alone, to pipe into verify or inspect; --json prints the token response with the refresh token redacted. Provider refusals are explained: the RFC 6749 error and error_description, an empty 403, an HTML page.

        Examples:
          layabauth token --issuer https://idp.example --client-id api --client-secret-file secret.txt --scope read
          layabauth token --token-url https://idp.example/token --client-id api --client-key client.pem --auth private_key_jwt
          layabauth token --issuer https://idp.example --client-id cli --grant device
          layabauth token --issuer https://idp.example --client-id api --client-secret-file s --grant refresh --refresh-token-file rt

        Exit status: 0 token printed; 1 the provider refused; 2 usage error; 3 provider unreachable or failing.
        """
    )

    enum Grant: String, ExpressibleByArgument, CaseIterable {
        case clientCredentials = "client_credentials", device, refresh
    }

    enum Auth: String, ExpressibleByArgument, CaseIterable {
        case basic, post
        case privateKeyJWT = "private_key_jwt"
    }

    @Option(help: ArgumentHelp("Find the endpoints by OIDC / RFC 8414 discovery from this issuer.", valueName: "url"))
    var issuer: String?

    @Option(name: .customLong("token-url"), help: ArgumentHelp("The token endpoint, instead of discovery.", valueName: "url"))
    var tokenURL: String?

    @Option(name: .customLong("device-url"), help: ArgumentHelp("The device authorization endpoint, instead of discovery (--grant device).", valueName: "url"))
    var deviceURL: String?

    @Option(name: .customLong("client-id"), help: ArgumentHelp("The client identifier.", valueName: "id"))
    var clientID: String

    @Option(name: .customLong("client-secret-file"), help: ArgumentHelp("A file holding the client secret (one trailing line break is ignored).", valueName: "file"))
    var clientSecretFile: String?

    @Option(name: .customLong("client-key"), help: ArgumentHelp("A PEM private key or private JWK for private_key_jwt (RFC 7523).", valueName: "file"))
    var clientKey: String?

    @Option(name: .customLong("client-key-algorithm"), help: ArgumentHelp("The client assertion's algorithm (default: the JWK's alg, else RS256, ES256/384/512 by curve, EdDSA).", valueName: "alg"))
    var clientKeyAlgorithm: String?

    @Option(help: ArgumentHelp("A scope to request (repeatable).", valueName: "scope"))
    var scope: [String] = []

    @Option(help: ArgumentHelp("The non-standard audience parameter some providers want.", valueName: "aud"))
    var audience: String?

    @Option(help: ArgumentHelp("An RFC 8707 resource indicator (repeatable).", valueName: "uri"))
    var resource: [String] = []

    @Option(help: ArgumentHelp("Client authentication: basic, post (with --client-secret-file) or private_key_jwt (with --client-key). Default: basic, or private_key_jwt with --client-key.", valueName: "method"))
    var auth: Auth?

    @Option(help: ArgumentHelp("client_credentials (default), device or refresh.", valueName: "grant"))
    var grant: Grant = .clientCredentials

    @Option(name: .customLong("refresh-token-file"), help: ArgumentHelp("A file holding the refresh token (--grant refresh).", valueName: "file"))
    var refreshTokenFile: String?

    @Option(name: .customLong("ca-bundle"), help: ArgumentHelp("PEM CA certificates to trust for https.", valueName: "file"))
    var caBundle: String?

    @Flag(help: "Print the token response as JSON (refresh_token redacted).")
    var json = false

    @Flag(name: .customLong("show-refresh-token"), help: "With --json, print the refresh token instead of redacting it.")
    var showRefreshToken = false

    func run() async throws {
        let authentication = try clientAuthentication()
        let refreshToken = try refreshTokenValue()
        let options = try KeyOptions.httpOptions(caBundle: caBundle)
        let secrets = [authentication.secret, refreshToken].compactMap { $0 }
        do {
            let endpoints = try await self.endpoints(options: options)
            let request = TokenRequest(endpoint: endpoints.token, clientID: clientID, authentication: authentication, scopes: scope,
                                       audience: audience, resources: resource, options: options)
            let response: TokenResponse
            switch grant {
            case .clientCredentials:
                response = try await request.send(.clientCredentials)
            case .refresh:
                response = try await request.send(.refresh(token: refreshToken ?? ""))
            case .device:
                guard let deviceEndpoint = endpoints.deviceAuthorization else {
                    throw InputError("no device authorization endpoint: the discovery document lists none; give --device-url")
                }
                let flow = DeviceFlow(request: request, authorizationEndpoint: deviceEndpoint)
                let authorization = try await flow.authorize()
                Output.error("to approve, open \(authorization.verificationURI) and enter the code \(authorization.userCode)"
                    + (authorization.verificationURIComplete.map { " (or open \($0))" } ?? ""))
                Output.error("waiting for approval (polling every \(Self.seconds(authorization.interval)) s, the code expires in \(Self.seconds(authorization.expiresIn)) s)")
                response = try await flow.poll(authorization, slowedDown: { Output.error("the provider asked to slow down: polling every \(Self.seconds($0)) s") })
            }
            if json {
                Output.json(response.json(revealingRefreshToken: showRefreshToken), pretty: true)
            } else {
                Output.line(TerminalText.printable(response.accessToken))
            }
        } catch let error as ProviderError {
            Output.error(error.redacting(secrets).description)
            throw error.kind == .refused ? Output.rejected : Output.keysUnavailable
        }
    }

    /// The endpoints, given or discovered; usage errors when neither or a wrong combination is given.
    private func endpoints(options: HTTPOptions) async throws -> ProviderEndpoints {
        switch (issuer, tokenURL) {
        case let (nil, tokenURL?):
            try Self.checkURL(tokenURL, "--token-url")
            if let deviceURL { try Self.checkURL(deviceURL, "--device-url") }
            return ProviderEndpoints(token: tokenURL, deviceAuthorization: deviceURL)
        case let (issuer?, nil):
            let discovered = try await ProviderEndpoints.discovered(issuer: try DiscoverableIssuer.validated(issuer), options: options)
            guard let deviceURL else { return discovered }
            try Self.checkURL(deviceURL, "--device-url")
            return ProviderEndpoints(token: discovered.token, deviceAuthorization: deviceURL)
        default:
            throw InputError("give --issuer (discovery) or --token-url, one of them")
        }
    }

    /// How the client authenticates, from --auth, --client-secret-file and --client-key.
    private func clientAuthentication() throws -> ClientAuthentication {
        if clientSecretFile != nil, clientKey != nil { throw InputError("give --client-secret-file or --client-key, not both") }
        if let clientKey {
            guard auth == nil || auth == .privateKeyJWT else { throw InputError("--auth \(auth?.rawValue ?? "") needs --client-secret-file; --client-key signs private_key_jwt assertions") }
            return .privateKeyJWT(try ClientKey.load(path: clientKey, algorithm: clientKeyAlgorithm))
        }
        if clientKeyAlgorithm != nil { throw InputError("--client-key-algorithm needs --client-key") }
        guard let clientSecretFile else {
            if auth != nil { throw InputError("--auth \(auth?.rawValue ?? "") needs --client-secret-file or --client-key") }
            // Only the device grant has public clients.
            guard grant == .device else { throw InputError("give --client-secret-file or --client-key (only --grant device works without a client secret)") }
            return .none
        }
        let secret = try SecretFile.text(path: clientSecretFile, named: "the client secret file \(clientSecretFile)")
        switch auth ?? .basic {
        case .basic: return .basic(secret: secret)
        case .post: return .post(secret: secret)
        case .privateKeyJWT: throw InputError("--auth private_key_jwt needs --client-key (a private key), not a secret")
        }
    }

    /// The refresh token of --refresh-token-file, required exactly with --grant refresh.
    private func refreshTokenValue() throws -> String? {
        guard grant == .refresh else {
            if refreshTokenFile != nil { throw InputError("--refresh-token-file goes with --grant refresh") }
            return nil
        }
        guard let refreshTokenFile else { throw InputError("--grant refresh needs --refresh-token-file") }
        return try SecretFile.text(path: refreshTokenFile, named: "the refresh token file \(refreshTokenFile)")
    }

    private static func checkURL(_ url: String, _ option: String) throws {
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { throw InputError("\(option) \"\(url)\" is not an http(s) URL") }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
