#if OpenAPI
import ArgumentParser
import Foundation
import LayabAuth
import LayabAuthOpenAPI
import LayabConsole

struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print OpenAPI security definitions for an API protected by LayabAuth.",
        discussion: """
        swagger2 (the default) prints exactly the object layabauth's authorizations(auth_url, scopes) returned; openapi3 prints an OpenAPI 3.0 components.securitySchemes fragment, openapi31 the same for OpenAPI 3.1.

        Examples:
          layabauth openapi --auth-url https://idp.example/authorize \\
            --scope read="Read access" --scope write="Write access"
          layabauth openapi --format openapi3 --scope read="Read access" \\
            --auth-url https://idp.example/authorize \\
            --token-url https://idp.example/token
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case swagger2, openapi3, openapi31
    }

    @Option(name: .customLong("auth-url"), help: ArgumentHelp("The authorization URL of the implicit flow.", valueName: "url"))
    var authURL: String

    @Option(help: ArgumentHelp("A scope and its description (repeatable).", valueName: "name=description"))
    var scope: [String] = []

    @Option(help: ArgumentHelp("swagger2, openapi3 (3.0) or openapi31.", valueName: "format"))
    var format: Format = .swagger2

    @Option(name: .customLong("token-url"), help: ArgumentHelp("OpenAPI 3: also the authorization-code and client-credentials flows with this token URL.", valueName: "url"))
    var tokenURL: String?

    @Option(name: .customLong("openid-connect-url"), help: ArgumentHelp("OpenAPI 3: also an openIdConnect scheme with this discovery URL.", valueName: "url"))
    var openIDConnectURL: String?

    @Flag(name: .customLong("error-responses"), help: "OpenAPI 3: also the refusals' responses (400, 401 incl. insufficient_user_authentication, 403, 503) and their body schema.")
    var errorResponses = false

    func run() throws {
        // Every format gets the same checks, so that a definition swagger2 accepts is one openapi3 accepts too.
        try Self.checkURL(authURL, option: "--auth-url")
        if errorResponses, format == .swagger2 { throw InputError("--error-responses needs --format openapi3 or openapi31") }
        if let tokenURL { try Self.checkURL(tokenURL, option: "--token-url") }
        if let openIDConnectURL { try Self.checkURL(openIDConnectURL, option: "--openid-connect-url") }
        var scopes: [(name: String, description: String)] = []
        for entry in scope {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw InputError("--scope takes name=description, got \"\(entry)\"")
            }
            let name = String(entry[..<equals])
            // Swift's == equates canonically equivalent spellings, as OpenAPIKit's dictionary of scopes does:
            // such a pair would silently become one scope in OpenAPI 3.
            if scopes.contains(where: { $0.name == name }) {
                throw InputError("--scope \"\(name)\" is given more than once")
            }
            scopes.append((name, String(entry[entry.index(after: equals)...])))
        }
        switch format {
        case .swagger2:
            Output.line(SwaggerSecurity.authorizations(authorizationURL: authURL, scopes: scopes).prettyJSONText())
        case .openapi3, .openapi31:
            var flows: [BearerSecuritySchemes.Flow] = [.implicit(authorizationURL: authURL)]
            if let tokenURL {
                flows.append(.authorizationCode(authorizationURL: authURL, tokenURL: tokenURL))
                flows.append(.clientCredentials(tokenURL: tokenURL))
            }
            let schemes = BearerSecuritySchemes(scopes: scopes, flows: flows, openIDConnectURL: openIDConnectURL)
            do {
                Output.line(try schemes.componentsFragmentJSON(format == .openapi3 ? .openAPI30 : .openAPI31, errorResponses: errorResponses))
            } catch {
                throw InputError("\(error)")
            }
        }
    }

    /// Accepts an absolute http or https URL with a host.
    /// - Throws: ``InputError`` naming the option and the value found.
    static func checkURL(_ text: String, option: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = url.host, !host.isEmpty
        else {
            throw InputError("\(option) must be an absolute http or https URL, got \"\(text)\"")
        }
    }
}
#endif
