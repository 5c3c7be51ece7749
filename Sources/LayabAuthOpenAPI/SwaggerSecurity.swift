#if OpenAPI
import LayabAuth

/// layabauth's Swagger 2.0 helpers, with the exact shapes they return.
public enum SwaggerSecurity {
    /// `{"oauth2": {"scopes": {...}, "flow": "implicit", "authorizationUrl": "...", "type": "oauth2"}}`,
    /// for a Swagger 2.0 `securityDefinitions` (layabauth's `authorizations(auth_url, scopes)`).
    /// Scopes keep their order; names with `.` and `-` are fine.
    public static func authorizations(authorizationURL: String, scopes: [(name: String, description: String)]) -> JSONValue {
        [
            "oauth2": [
                "scopes": .object(JSONObject(scopes.map { ($0.name, JSONValue.string($0.description)) })),
                "flow": "implicit",
                "authorizationUrl": .string(authorizationURL),
                "type": "oauth2",
            ],
        ]
    }

    /// `{"security": [{"oauth2": [scopes…]}]}` for one operation (layabauth's `method_authorizations(*scopes)`).
    public static func methodAuthorizations(_ scopes: [String]) -> JSONValue {
        ["security": [["oauth2": .array(scopes.map(JSONValue.string))]]]
    }

    public static func methodAuthorizations(_ scopes: String...) -> JSONValue { methodAuthorizations(scopes) }
}
#endif
