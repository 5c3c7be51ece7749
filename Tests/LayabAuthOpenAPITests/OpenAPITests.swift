#if OpenAPI
import Foundation
import LayabAuth
import LayabAuthOpenAPI
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import OpenAPIKit
import OpenAPIKit30
import Testing

@Suite("OpenAPI security definitions")
struct OpenAPITests {
    static let scopes: [(name: String, description: String)] = [("scope1", "Description 1"), ("scope.2-x", "Dotted, dashed scope")]

    @Test("authorizations gives layabauth's exact Swagger 2.0 shape")
    func authorizations() throws {
        let value = SwaggerSecurity.authorizations(authorizationURL: "https://auth.example/authorize", scopes: Self.scopes)
        let expected = try JSONParser.parse(#"""
        {"oauth2": {"scopes": {"scope1": "Description 1", "scope.2-x": "Dotted, dashed scope"},
                    "flow": "implicit", "authorizationUrl": "https://auth.example/authorize", "type": "oauth2"}}
        """#)
        #expect(value == expected)
        // Member order as layabauth's dict literal writes it.
        #expect(value["oauth2"]?.objectValue?.names == ["scopes", "flow", "authorizationUrl", "type"])
    }

    @Test("methodAuthorizations gives layabauth's exact shape")
    func methodAuthorizations() throws {
        #expect(SwaggerSecurity.methodAuthorizations("scope1", "scope.2-x") == (try JSONParser.parse(#"{"security": [{"oauth2": ["scope1", "scope.2-x"]}]}"#)))
        #expect(SwaggerSecurity.methodAuthorizations() == (try JSONParser.parse(#"{"security": [{"oauth2": []}]}"#)))
    }

    static var schemes: BearerSecuritySchemes {
        BearerSecuritySchemes(
            scopes: scopes,
            flows: [.implicit(authorizationURL: "https://auth.example/authorize"),
                    .authorizationCode(authorizationURL: "https://auth.example/authorize", tokenURL: "https://auth.example/token"),
                    .clientCredentials(tokenURL: "https://auth.example/token")],
            openIDConnectURL: "https://auth.example/.well-known/openid-configuration")
    }

    @Test("a Swagger 2.0 document built from the helpers passes openapi-spec-validator")
    func swagger2Validates() async throws {
        var operation: JSONObject = ["responses": ["200": ["description": "OK"]]]
        for member in SwaggerSecurity.methodAuthorizations("scope1").objectValue ?? JSONObject() { operation[member.name] = member.value }
        let document: JSONValue = [
            "swagger": "2.0",
            "info": ["title": "LayabAuth test API", "version": "1.0"],
            "paths": ["/me": ["get": .object(operation)]],
            "securityDefinitions": SwaggerSecurity.authorizations(authorizationURL: "https://auth.example/authorize", scopes: Self.scopes),
        ]
        try await Validator.validate(document.jsonText, schema: "2.0")
    }

    @Test("an OpenAPI 3.1 document with oauth2 (three flows), openIdConnect and bearer JWT passes openapi-spec-validator")
    func openAPI31Validates() async throws {
        let schemes = Self.schemes
        let operation = OpenAPIKit.OpenAPI.Operation(responses: [200: .response(description: "OK")], security: [schemes.requirement(scopes: ["scope1"])])
        let paths: OpenAPIKit.OpenAPI.PathItem.Map = ["/me": .pathItem(OpenAPIKit.OpenAPI.PathItem(get: operation))]
        let document = OpenAPIKit.OpenAPI.Document(
            openAPIVersion: .v3_1_1,
            info: OpenAPIKit.OpenAPI.Document.Info(title: "LayabAuth test API", version: "1.0"), servers: [], paths: paths,
            components: try schemes.components())
        let encoder = JSONEncoder()
        let text = String(decoding: try encoder.encode(document), as: UTF8.self)
        try await Validator.validate(text, schema: "3.1")
        let parsed = try JSONParser.parse(text)
        let security = parsed["components"]?["securitySchemes"]
        #expect(security?["bearerAuth"]?["bearerFormat"] == "JWT")
        #expect(security?["bearerAuth"]?["scheme"] == "bearer")
        #expect(security?["oauth2"]?["flows"]?["implicit"]?["authorizationUrl"] == "https://auth.example/authorize")
        #expect(security?["oauth2"]?["flows"]?["clientCredentials"]?["tokenUrl"] == "https://auth.example/token")
        #expect(security?["openIdConnect"]?["openIdConnectUrl"] == "https://auth.example/.well-known/openid-configuration")
        #expect(parsed["paths"]?["/me"]?["get"]?["security"] == [["oauth2": ["scope1"]]])
    }

    @Test("an OpenAPI 3.0 document with the same schemes passes openapi-spec-validator")
    func openAPI30Validates() async throws {
        let schemes = Self.schemes
        let operation = OpenAPIKit30.OpenAPI.Operation(responses: [200: .response(description: "OK")],
                                                       security: [schemes.requirement30(scopes: ["scope1", "scope.2-x"])])
        let paths: OpenAPIKit30.OpenAPI.PathItem.Map = ["/me": .b(OpenAPIKit30.OpenAPI.PathItem(get: operation))]
        let document = OpenAPIKit30.OpenAPI.Document(
            info: OpenAPIKit30.OpenAPI.Document.Info(title: "LayabAuth test API", version: "1.0"), servers: [], paths: paths,
            components: try schemes.components30())
        let text = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
        try await Validator.validate(text, schema: "3.0")
        #expect(try JSONParser.parse(text)["openapi"]?.stringValue?.hasPrefix("3.0") == true)
    }

    @Test("the error answers (400, 401 with insufficient_user_authentication, 403, 503) as 3.1 components referenced by operations pass openapi-spec-validator")
    func errorResponses31Validate() async throws {
        let schemes = Self.schemes
        let errors = BearerErrorResponses()
        var responses = errors.operationResponses(scopes: true)
        responses[200] = .response(description: "OK")
        let operation = OpenAPIKit.OpenAPI.Operation(responses: responses, security: [schemes.requirement(scopes: ["scope1"])])
        var openResponses = errors.operationResponses(scopes: false)
        openResponses[200] = .response(description: "OK")
        let open = OpenAPIKit.OpenAPI.Operation(responses: openResponses)
        let paths: OpenAPIKit.OpenAPI.PathItem.Map = ["/admin": .pathItem(OpenAPIKit.OpenAPI.PathItem(get: operation)),
                                                      "/me": .pathItem(OpenAPIKit.OpenAPI.PathItem(get: open))]
        var components = try schemes.components()
        errors.add(to: &components)
        let document = OpenAPIKit.OpenAPI.Document(
            openAPIVersion: .v3_1_1,
            info: OpenAPIKit.OpenAPI.Document.Info(title: "LayabAuth test API", version: "1.0"), servers: [], paths: paths, components: components)
        let text = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
        try await Validator.validate(text, schema: "3.1")
        let parsed = try JSONParser.parse(text)
        #expect(parsed["paths"]?["/admin"]?["get"]?["responses"]?["403"]?["$ref"] == "#/components/responses/BearerInsufficientScope")
        #expect(parsed["paths"]?["/me"]?["get"]?["responses"]?["403"] == nil)
        #expect(parsed["paths"]?["/me"]?["get"]?["responses"]?["401"]?["$ref"] == "#/components/responses/BearerUnauthorized")
        let unauthorized = parsed["components"]?["responses"]?["BearerUnauthorized"]
        #expect(unauthorized?["description"]?.stringValue?.contains("insufficient_user_authentication") == true)
        #expect(unauthorized?["headers"]?["WWW-Authenticate"]?["required"] == true)
        #expect(parsed["components"]?["responses"]?["BearerUnavailable"]?["headers"]?["Retry-After"] != nil)
        let codes = parsed["components"]?["schemas"]?["BearerError"]?["properties"]?["error"]?["enum"]
        #expect(codes == .array(BearerErrorResponses.errorCodes.map { .string($0) }))
        #expect(parsed["components"]?["securitySchemes"]?["bearerAuth"] != nil)
    }

    @Test("the error answers as 3.0 components pass openapi-spec-validator")
    func errorResponses30Validate() async throws {
        let errors = BearerErrorResponses()
        var responses = errors.operationResponses30(scopes: true)
        responses[200] = .response(description: "OK")
        let operation = OpenAPIKit30.OpenAPI.Operation(responses: responses, security: [Self.schemes.requirement30(scopes: ["scope1"])])
        let paths: OpenAPIKit30.OpenAPI.PathItem.Map = ["/admin": .b(OpenAPIKit30.OpenAPI.PathItem(get: operation))]
        var components = try Self.schemes.components30()
        errors.add(to: &components)
        let document = OpenAPIKit30.OpenAPI.Document(
            info: OpenAPIKit30.OpenAPI.Document.Info(title: "LayabAuth test API", version: "1.0"), servers: [], paths: paths, components: components)
        let text = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
        try await Validator.validate(text, schema: "3.0")
        let parsed = try JSONParser.parse(text)
        #expect(parsed["paths"]?["/admin"]?["get"]?["responses"]?["503"]?["$ref"] == "#/components/responses/BearerUnavailable")
        #expect(parsed["components"]?["responses"]?["BearerBadRequest"]?["content"]?["application/json"]?["schema"]?["$ref"] == "#/components/schemas/BearerError")
    }

    @Test("the validator really rejects a broken document (the checks above can fail)")
    func validatorRejects() async throws {
        let broken: JSONValue = [
            "swagger": "2.0", "info": ["title": "x", "version": "1"], "paths": [:],
            "securityDefinitions": ["oauth2": ["type": "oauth2", "flow": "implicit"]],  // authorizationUrl and scopes missing
        ]
        await #expect(throws: Validator.Failure.self) { try await Validator.validate(broken.jsonText, schema: "2.0") }
    }

    @Test("relative or malformed URLs are refused")
    func invalidURL() {
        let schemes = BearerSecuritySchemes(scopes: [], flows: [.implicit(authorizationURL: "/authorize")])
        #expect(throws: BearerSecuritySchemes.InvalidURL.self) { try schemes.components() }
    }
}

/// openapi-spec-validator (PyPI) run as a subprocess: a standard tool, not our code, judges the documents.
enum Validator {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs the validator on a thread of its own (it is a process the test waits for).
    static func validate(_ json: String, schema: String) async throws {
        try await OwnThread.run { try validateBlocking(json, schema: schema) }
    }

    static func validateBlocking(_ json: String, schema: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("layabauth-openapi-\(UUID().uuidString).json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try Subprocess.runBlocking("/usr/bin/env", ["python3", "-m", "openapi_spec_validator", "--schema", schema, file.path])
        guard run.status == 0, !run.timedOut else { throw Failure(description: "openapi-spec-validator: \(run.output)\(run.errorOutput)") }
    }
}
#endif
