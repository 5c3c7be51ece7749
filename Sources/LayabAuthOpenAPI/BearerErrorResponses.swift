#if OpenAPI
import LayabAuth
import OpenAPIKit
import OpenAPIKit30

/// The answers a route protected by LayabAuth gives a refused request, as reusable OpenAPI responses: what
/// both server integrations send (``LayabAuthError`` `challenge`), documented once for API clients.
///
/// - 400 `invalid_request` (two `Authorization` headers, a malformed or oversized credential);
/// - 401 without an error code (no token, RFC 6750 §3.1), `invalid_token` (refused token, including an ID token
///   refused by the RFC 9068 profile, an inactive introspected token, an untrusted issuer), and, on routes that
///   demand a recent or stronger login, `insufficient_user_authentication` with `acr_values` and `max_age`
///   (RFC 9470 §3);
/// - 403 `insufficient_scope` with `scope`;
/// - 503 `temporarily_unavailable` with `Retry-After` (the keys or the introspection endpoint cannot be reached).
///
/// ```swift
/// var components = try security.components()
/// BearerErrorResponses().add(to: &components)
/// let responses = BearerErrorResponses().operationResponses(scopes: true)   // per operation
/// ```
public struct BearerErrorResponses: Sendable {
    /// The schema of the JSON body of every answer: `{"error": …, "error_description": …}`.
    public static let errorSchemaName = "BearerError"

    /// One answer: its status and the name of its response in `components.responses`.
    public enum Answer: Int, Sendable, CaseIterable {
        case badRequest = 400
        case unauthorized = 401
        case insufficientScope = 403
        case unavailable = 503

        public var componentName: String {
            switch self {
            case .badRequest: "BearerBadRequest"
            case .unauthorized: "BearerUnauthorized"
            case .insufficientScope: "BearerInsufficientScope"
            case .unavailable: "BearerUnavailable"
            }
        }
    }

    /// The `error` values a body may carry.
    public static let errorCodes = ["invalid_request", "invalid_token", "insufficient_scope", "insufficient_user_authentication",
                                    "temporarily_unavailable", "server_error"]

    public init() {}

    /// The answers of one operation: 400, 401 and 503 always, 403 when it requires scopes.
    public func answers(scopes: Bool) -> [Answer] {
        Answer.allCases.filter { $0 != .insufficientScope || scopes }
    }

    static func description(_ answer: Answer) -> String {
        switch answer {
        case .badRequest:
            "invalid_request: two Authorization headers, or a bearer credential that is malformed or too large (RFC 6750 §3.1)."
        case .unauthorized:
            "No bearer token (WWW-Authenticate without an error code), or error=\"invalid_token\": the token was refused "
                + "(signature, expiry, issuer, audience, type, an inactive introspected token); error_description says why. "
                + "On routes that demand a recent or stronger login, error=\"insufficient_user_authentication\" with acr_values "
                + "and max_age in WWW-Authenticate (RFC 9470 §3): authenticate again as they ask."
        case .insufficientScope:
            "insufficient_scope: the token lacks a scope this operation requires; WWW-Authenticate lists them in scope (RFC 6750 §3.1)."
        case .unavailable:
            "temporarily_unavailable: the keys that verify tokens (or the introspection endpoint) cannot be reached; retry after Retry-After seconds."
        }
    }

    static let wwwAuthenticateDescription = "Bearer challenge (RFC 6750 §3, RFC 9470 §3): realm, error, error_description, scope, acr_values, max_age"
    static let retryAfterDescription = "Seconds until the keys or the introspection endpoint are tried again"

    // MARK: OpenAPI 3.1

    /// Adds the error schema and the responses to `components`, leaving what is there.
    public func add(to components: inout OpenAPIKit.OpenAPI.Components) {
        components.schemas[.init(stringLiteral: Self.errorSchemaName)] = .object(properties: [
            "error": .string(allowedValues: Self.errorCodes.map { AnyCodable($0) }),
            "error_description": .string(required: false),
        ])
        for answer in Answer.allCases {
            components.responses[.init(stringLiteral: answer.componentName)] = .b(response31(answer))
        }
    }

    func response31(_ answer: Answer) -> OpenAPIKit.OpenAPI.Response {
        var headers: OpenAPIKit.OpenAPI.Header.Map = [:]
        if answer == .unavailable {
            headers["Retry-After"] = .b(.init(schema: .integer(minimum: (1, exclusive: false)), description: Self.retryAfterDescription, required: true))
        } else {
            headers["WWW-Authenticate"] = .b(.init(schema: .string, description: Self.wwwAuthenticateDescription, required: true))
        }
        let body = OpenAPIKit.OpenAPI.Content(schema: .reference(.component(named: Self.errorSchemaName)))
        return OpenAPIKit.OpenAPI.Response(description: Self.description(answer), headers: headers, content: [.json: .b(body)])
    }

    /// An operation's error responses, as references to the components ``add(to:)-(OpenAPIKit.OpenAPI.Components)`` adds.
    public func operationResponses(scopes: Bool) -> OpenAPIKit.OpenAPI.Response.Map {
        var map: OpenAPIKit.OpenAPI.Response.Map = [:]
        for answer in answers(scopes: scopes) {
            map[.status(code: answer.rawValue)] = .a(.component(named: answer.componentName))
        }
        return map
    }

    // MARK: OpenAPI 3.0

    /// ``add(to:)-(OpenAPIKit.OpenAPI.Components)`` for OpenAPI 3.0.
    public func add(to components: inout OpenAPIKit30.OpenAPI.Components) {
        components.schemas[.init(stringLiteral: Self.errorSchemaName)] = .object(properties: [
            "error": .string(allowedValues: Self.errorCodes.map { AnyCodable($0) }),
            "error_description": .string(required: false),
        ])
        for answer in Answer.allCases {
            components.responses[.init(stringLiteral: answer.componentName)] = response30(answer)
        }
    }

    func response30(_ answer: Answer) -> OpenAPIKit30.OpenAPI.Response {
        var headers: OpenAPIKit30.OpenAPI.Header.Map = [:]
        if answer == .unavailable {
            headers["Retry-After"] = .b(.init(schema: .integer(minimum: (1, exclusive: false)), description: Self.retryAfterDescription, required: true))
        } else {
            headers["WWW-Authenticate"] = .b(.init(schema: .string, description: Self.wwwAuthenticateDescription, required: true))
        }
        let body = OpenAPIKit30.OpenAPI.Content(schema: .reference(.component(named: Self.errorSchemaName)))
        return OpenAPIKit30.OpenAPI.Response(description: Self.description(answer), headers: headers, content: [.json: body])
    }

    /// ``operationResponses(scopes:)`` for OpenAPI 3.0.
    public func operationResponses30(scopes: Bool) -> OpenAPIKit30.OpenAPI.Response.Map {
        var map: OpenAPIKit30.OpenAPI.Response.Map = [:]
        for answer in answers(scopes: scopes) {
            map[.status(code: answer.rawValue)] = .a(.component(named: answer.componentName))
        }
        return map
    }
}
#endif
