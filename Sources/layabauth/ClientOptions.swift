import ArgumentParser
import LayabAuthJWKS
import LayabConsole

/// Who asks a provider for tokens and how it authenticates: the options `token` and `inspect` share.
/// The issuer, the scopes and the CA bundle are each command's own (`inspect` checks tokens against them too).
struct ClientOptions: ParsableArguments {
    enum Auth: String, ExpressibleByArgument, CaseIterable {
        case basic, post
        case privateKeyJWT = "private_key_jwt"
    }

    @Option(name: .customLong("token-url"), help: ArgumentHelp("The token endpoint, instead of discovery.", valueName: "url"))
    var tokenURL: String?

    @Option(name: .customLong("device-url"), help: ArgumentHelp("The device authorization endpoint, instead of discovery (--grant device).", valueName: "url"))
    var deviceURL: String?

    @Option(name: .customLong("client-id"), help: ArgumentHelp("The client identifier.", valueName: "id"))
    var clientID: String?

    @Option(name: .customLong("client-secret-file"), help: ArgumentHelp("A file holding the client secret (one trailing line break is ignored).", valueName: "file"))
    var clientSecretFile: String?

    @Option(name: .customLong("client-key"), help: ArgumentHelp("A PEM private key or private JWK for private_key_jwt (RFC 7523).", valueName: "file"))
    var clientKey: String?

    @Option(name: .customLong("client-key-algorithm"), help: ArgumentHelp("The client assertion's algorithm (default: the JWK's alg, else RS256, ES256/384/512 by curve, EdDSA).", valueName: "alg"))
    var clientKeyAlgorithm: String?

    @Option(help: ArgumentHelp("An RFC 8707 resource indicator (repeatable).", valueName: "uri"))
    var resource: [String] = []

    @Option(help: ArgumentHelp("Client authentication: basic, post (with --client-secret-file) or private_key_jwt (with --client-key). Default: basic, or private_key_jwt with --client-key.", valueName: "method"))
    var auth: Auth?

    /// Whether any client option was given.
    var isGiven: Bool {
        clientID != nil || tokenURL != nil || deviceURL != nil || clientSecretFile != nil || clientKey != nil || clientKeyAlgorithm != nil || auth != nil || !resource.isEmpty
    }

    /// How the client authenticates, from --auth, --client-secret-file and --client-key.
    /// - Parameter publicClientAllowed: no secret nor key is a public client (only the device grant has them).
    func authentication(publicClientAllowed: Bool) throws -> ClientAuthentication {
        if clientSecretFile != nil, clientKey != nil { throw InputError("give --client-secret-file or --client-key, not both") }
        if let clientKey {
            guard auth == nil || auth == .privateKeyJWT else { throw InputError("--auth \(auth?.rawValue ?? "") needs --client-secret-file; --client-key signs private_key_jwt assertions") }
            return .privateKeyJWT(try ClientKey.load(path: clientKey, algorithm: clientKeyAlgorithm))
        }
        if clientKeyAlgorithm != nil { throw InputError("--client-key-algorithm needs --client-key") }
        guard let clientSecretFile else {
            if auth != nil { throw InputError("--auth \(auth?.rawValue ?? "") needs --client-secret-file or --client-key") }
            guard publicClientAllowed else { throw InputError("give --client-secret-file or --client-key (only --grant device works without a client secret)") }
            return .none
        }
        let secret = try SecretFile.text(path: clientSecretFile, named: "the client secret file \(clientSecretFile)")
        switch auth ?? .basic {
        case .basic: return .basic(secret: secret)
        case .post: return .post(secret: secret)
        case .privateKeyJWT: throw InputError("--auth private_key_jwt needs --client-key (a private key), not a secret")
        }
    }

    /// The endpoints, given (--token-url) or discovered from `issuer`; usage errors when neither or both are given.
    func endpoints(issuer: String?, options: HTTPOptions) async throws -> ProviderEndpoints {
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

    private static func checkURL(_ url: String, _ option: String) throws {
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { throw InputError("\(option) \"\(url)\" is not an http(s) URL") }
    }
}
