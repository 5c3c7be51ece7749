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

    @Option(help: ArgumentHelp("Find the endpoints by OIDC / RFC 8414 discovery from this issuer.", valueName: "url"))
    var issuer: String?

    @OptionGroup var client: ClientOptions

    @Option(help: ArgumentHelp("A scope to request (repeatable).", valueName: "scope"))
    var scope: [String] = []

    @Option(help: ArgumentHelp("The non-standard audience parameter some providers want.", valueName: "aud"))
    var audience: String?

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

    func validate() throws {
        guard client.clientID != nil else { throw ValidationError("Missing expected argument '--client-id <id>'") }
    }

    func run() async throws {
        let authentication = try client.authentication(publicClientAllowed: grant == .device)
        let refreshToken = try refreshTokenValue()
        let options = try KeyOptions.httpOptions(caBundle: caBundle)
        let secrets = [authentication.secret, refreshToken].compactMap { $0 }
        do {
            let endpoints = try await client.endpoints(issuer: issuer, options: options)
            let request = TokenRequest(endpoint: endpoints.token, clientID: client.clientID ?? "", authentication: authentication, scopes: scope,
                                       audience: audience, resources: client.resource, options: options)
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

    /// The refresh token of --refresh-token-file, required exactly with --grant refresh.
    private func refreshTokenValue() throws -> String? {
        guard grant == .refresh else {
            if refreshTokenFile != nil { throw InputError("--refresh-token-file goes with --grant refresh") }
            return nil
        }
        guard let refreshTokenFile else { throw InputError("--grant refresh needs --refresh-token-file") }
        return try SecretFile.text(path: refreshTokenFile, named: "the refresh token file \(refreshTokenFile)")
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
