import ArgumentParser
import LayabAuth
import LayabAuthOpenAPI
import LayabInspector

struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print OpenAPI security definitions for an API protected by LayabAuth.",
        discussion: """
        swagger2 (the default) prints exactly the object layabauth's authorizations(auth_url, scopes) returned; openapi3 prints an OpenAPI 3.0 components.securitySchemes fragment, openapi31 the same for OpenAPI 3.1.

        Examples:
          layabauth openapi --auth-url https://idp.example/authorize --scope read="Read access"
          layabauth openapi --auth-url https://idp.example/authorize --scope read=Read --format openapi3
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

    func run() throws {
        var scopes: [(name: String, description: String)] = []
        for entry in scope {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw InputError("--scope takes name=description, got \"\(entry)\"")
            }
            scopes.append((String(entry[..<equals]), String(entry[entry.index(after: equals)...])))
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
                Output.line(try schemes.componentsFragmentJSON(format == .openapi3 ? .openAPI30 : .openAPI31))
            } catch {
                throw InputError("\(error)")
            }
        }
    }
}
