#if OpenAPI
import Foundation
import LayabAuth
import Testing

/// An `openapi` command line that must be refused with exit status 2.
struct OpenAPIUsageCase: CustomTestStringConvertible, Sendable {
    let name: String
    let arguments: [String]
    /// A fragment of the message on standard error.
    let message: String

    var testDescription: String { name }

    static let authURL = "https://idp.example/authorize"

    static let all: [OpenAPIUsageCase] = [
        OpenAPIUsageCase(name: "--scope without =", arguments: ["--auth-url", authURL, "--scope", "read"], message: "--scope takes name=description, got \"read\""),
        OpenAPIUsageCase(name: "--scope with an empty name", arguments: ["--auth-url", authURL, "--scope", "=Read access"],
                         message: "--scope takes name=description, got \"=Read access\""),
        OpenAPIUsageCase(name: "--scope given twice", arguments: ["--auth-url", authURL, "--scope", "read=Read", "--scope", "write=Write", "--scope", "read=Read again"],
                         message: "--scope \"read\" is given more than once"),
        OpenAPIUsageCase(name: "--scope given twice, openapi3", arguments: ["--auth-url", authURL, "--scope", "a.b=x", "--scope", "a.b=y", "--format", "openapi3"],
                         message: "--scope \"a.b\" is given more than once"),
        OpenAPIUsageCase(name: "--format yaml", arguments: ["--auth-url", authURL, "--format", "yaml"], message: "yaml"),
        OpenAPIUsageCase(name: "no --auth-url", arguments: ["--scope", "read=Read"], message: "--auth-url"),
        OpenAPIUsageCase(name: "--auth-url notaurl, swagger2", arguments: ["--auth-url", "notaurl"],
                         message: "--auth-url must be an absolute http or https URL, got \"notaurl\""),
        OpenAPIUsageCase(name: "--auth-url notaurl, openapi3", arguments: ["--auth-url", "notaurl", "--format", "openapi3"],
                         message: "--auth-url must be an absolute http or https URL, got \"notaurl\""),
        OpenAPIUsageCase(name: "--auth-url notaurl, openapi31", arguments: ["--auth-url", "notaurl", "--format", "openapi31"],
                         message: "--auth-url must be an absolute http or https URL, got \"notaurl\""),
        OpenAPIUsageCase(name: "a relative --auth-url", arguments: ["--auth-url", "/authorize"], message: "got \"/authorize\""),
        OpenAPIUsageCase(name: "an ftp --auth-url", arguments: ["--auth-url", "ftp://idp.example/authorize"], message: "got \"ftp://idp.example/authorize\""),
        OpenAPIUsageCase(name: "an --auth-url without a host", arguments: ["--auth-url", "https:///authorize"], message: "got \"https:///authorize\""),
        OpenAPIUsageCase(name: "a bad --token-url", arguments: ["--auth-url", authURL, "--token-url", "token", "--format", "openapi3"],
                         message: "--token-url must be an absolute http or https URL, got \"token\""),
        OpenAPIUsageCase(name: "a bad --openid-connect-url", arguments: ["--auth-url", authURL, "--openid-connect-url", "mailto:a@b", "--format", "openapi31"],
                         message: "--openid-connect-url must be an absolute http or https URL, got \"mailto:a@b\""),
        OpenAPIUsageCase(name: "--error-responses with swagger2", arguments: ["--auth-url", authURL, "--error-responses"],
                         message: "--error-responses needs --format openapi3 or openapi31"),
    ]
}

@Suite("layabauth openapi", .fewAtATime)
struct OpenAPICommandTests {
    static let scopeArguments = ["--scope", "read=Read access", "--scope", "billing.invoices-write=Write invoices", "--scope", "a=b=c"]

    @Test("swagger2 (the default) prints exactly layabauth's authorizations object, member order and scope order included")
    func swagger2() async throws {
        let result = try await layabauth(["openapi", "--auth-url", "https://idp.example/authorize"] + Self.scopeArguments)
        #expect(result.status == 0, "\(result)")
        #expect(result.errorOutput.isEmpty, "\(result)")
        let expected = try JSONValue(parsing: #"""
        {"oauth2": {"scopes": {"read": "Read access", "billing.invoices-write": "Write invoices", "a": "b=c"},
                    "flow": "implicit", "authorizationUrl": "https://idp.example/authorize", "type": "oauth2"}}
        """#)
        let printed = try JSONValue(parsing: result.output)
        // JSONObject equality compares members in order.
        #expect(printed == expected, "\(result)")
        #expect(printed.objectValue?.names == ["oauth2"])
        #expect(printed["oauth2"]?.objectValue?.names == ["scopes", "flow", "authorizationUrl", "type"])
        #expect(printed["oauth2"]?["scopes"]?.objectValue?.names == ["read", "billing.invoices-write", "a"])

        let explicit = try await layabauth(["openapi", "--format", "swagger2", "--auth-url", "https://idp.example/authorize"] + Self.scopeArguments)
        #expect(explicit.status == 0, "\(explicit)")
        #expect(explicit.output == result.output)
    }

    @Test("swagger2 without scopes has an empty scopes object; http URLs are accepted")
    func swagger2WithoutScopes() async throws {
        let result = try await layabauth(["openapi", "--auth-url", "http://127.0.0.1:8080/authorize"])
        #expect(result.status == 0, "\(result)")
        let expected = try JSONValue(parsing: #"""
        {"oauth2": {"scopes": {}, "flow": "implicit", "authorizationUrl": "http://127.0.0.1:8080/authorize", "type": "oauth2"}}
        """#)
        #expect(try JSONValue(parsing: result.output) == expected, "\(result)")
    }

    @Test("openapi3 and openapi31 print components.securitySchemes: oauth2 implicit with the scopes, and bearer JWT",
          arguments: ["openapi3", "openapi31"])
    func openAPI3(format: String) async throws {
        let result = try await layabauth(["openapi", "--auth-url", "https://idp.example/authorize", "--format", format] + Self.scopeArguments)
        #expect(result.status == 0, "\(result)")
        #expect(result.errorOutput.isEmpty, "\(result)")
        let printed = try JSONValue(parsing: result.output)
        #expect(printed.objectValue?.names == ["components"])
        #expect(printed["components"]?.objectValue?.names == ["securitySchemes"])
        let schemes = try #require(printed["components"]?["securitySchemes"]?.objectValue, "\(result)")
        #expect(schemes.names.sorted() == ["bearerAuth", "oauth2"])
        let oauth2 = schemes["oauth2"]
        #expect(oauth2?["type"] == "oauth2")
        #expect(oauth2?["flows"]?.objectValue?.names == ["implicit"])
        #expect(oauth2?["flows"]?["implicit"]?["authorizationUrl"] == "https://idp.example/authorize")
        let scopes = try #require(oauth2?["flows"]?["implicit"]?["scopes"]?.objectValue)
        #expect(scopes.names.sorted() == ["a", "billing.invoices-write", "read"])
        #expect(scopes["read"] == "Read access")
        #expect(scopes["billing.invoices-write"] == "Write invoices")
        #expect(scopes["a"] == "b=c")
        #expect(schemes["bearerAuth"] == ["bearerFormat": "JWT", "description": "Authorization: Bearer <JWT>", "scheme": "bearer", "type": "http"])
    }

    @Test("openapi3 with --token-url and --openid-connect-url adds the code and client-credentials flows and an openIdConnect scheme",
          arguments: ["openapi3", "openapi31"])
    func openAPI3AllSchemes(format: String) async throws {
        let result = try await layabauth(["openapi", "--auth-url", "https://idp.example/authorize", "--format", format, "--scope", "read=Read",
                                          "--token-url", "https://idp.example/token",
                                          "--openid-connect-url", "https://idp.example/.well-known/openid-configuration"])
        #expect(result.status == 0, "\(result)")
        let schemes = try JSONValue(parsing: result.output)["components"]?["securitySchemes"]
        #expect(schemes?.objectValue?.names.sorted() == ["bearerAuth", "oauth2", "openIdConnect"])
        let flows = schemes?["oauth2"]?["flows"]
        #expect(flows?.objectValue?.names.sorted() == ["authorizationCode", "clientCredentials", "implicit"])
        #expect(flows?["authorizationCode"]?["authorizationUrl"] == "https://idp.example/authorize")
        #expect(flows?["authorizationCode"]?["tokenUrl"] == "https://idp.example/token")
        #expect(flows?["clientCredentials"]?["tokenUrl"] == "https://idp.example/token")
        #expect(flows?["clientCredentials"]?["scopes"] == ["read": "Read"])
        #expect(schemes?["openIdConnect"]?["type"] == "openIdConnect")
        #expect(schemes?["openIdConnect"]?["openIdConnectUrl"] == "https://idp.example/.well-known/openid-configuration")
    }

    @Test("--error-responses adds the refusals' responses and their body schema beside the security schemes", arguments: ["openapi3", "openapi31"])
    func errorResponses(format: String) async throws {
        let result = try await layabauth(["openapi", "--auth-url", "https://idp.example/authorize", "--format", format, "--error-responses"])
        #expect(result.status == 0, "\(result)")
        let components = try JSONValue(parsing: result.output)["components"]
        #expect(components?["responses"]?.objectValue?.names.sorted() == ["BearerBadRequest", "BearerInsufficientScope", "BearerUnauthorized", "BearerUnavailable"])
        #expect(components?["schemas"]?["BearerError"]?["properties"]?["error"]?["enum"]?.arrayValue?.contains("insufficient_user_authentication") == true)
        #expect(components?["securitySchemes"]?["bearerAuth"] != nil)
        // Without the flag, the fragment is the security schemes alone.
        let plain = try await layabauth(["openapi", "--auth-url", "https://idp.example/authorize", "--format", format])
        #expect(try JSONValue(parsing: plain.output)["components"]?.objectValue?.names == ["securitySchemes"])
    }

    @Test("bad options exit 2 with the reason on standard error and nothing on standard output", arguments: OpenAPIUsageCase.all)
    func usage(usage: OpenAPIUsageCase) async throws {
        let result = try await layabauth(["openapi"] + usage.arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.output.isEmpty, "\(result)")
        #expect(result.errorOutput.contains(usage.message), "\(result)")
    }
}
#endif
