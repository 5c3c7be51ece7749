#if OpenAPI
import Foundation
import LayabAuth
import OpenAPIKit
import OpenAPIKit30

/// The security schemes of an API protected by LayabAuth, for OpenAPI 3.1 (OpenAPIKit) and 3.0
/// (OpenAPIKit30): OAuth 2 flows, OpenID Connect discovery, and HTTP bearer with `bearerFormat: JWT`.
///
/// ```swift
/// let security = BearerSecuritySchemes(scopes: [("read", "Read access")],
///                                      flows: [.authorizationCode(authorizationURL: "https://idp/authorize", tokenURL: "https://idp/token")],
///                                      openIDConnectURL: "https://idp/.well-known/openid-configuration")
/// let components = try security.components()                   // OpenAPIKit, 3.1
/// let requirement = try security.requirement(scopes: ["read"])  // per operation
/// ```
public struct BearerSecuritySchemes: Sendable {
    public enum Flow: Sendable, Hashable {
        case implicit(authorizationURL: String)
        case authorizationCode(authorizationURL: String, tokenURL: String)
        case clientCredentials(tokenURL: String)
    }

    public var scopes: [(name: String, description: String)]
    public var flows: [Flow]
    public var openIDConnectURL: String?
    public var includesBearerJWT: Bool

    /// Scheme names in `components.securitySchemes`.
    public static let oauth2Name = "oauth2"
    public static let openIDConnectName = "openIdConnect"
    public static let bearerName = "bearerAuth"

    public init(scopes: [(name: String, description: String)], flows: [Flow], openIDConnectURL: String? = nil, includesBearerJWT: Bool = true) {
        self.scopes = scopes
        self.flows = flows
        self.openIDConnectURL = openIDConnectURL
        self.includesBearerJWT = includesBearerJWT
    }

    public struct InvalidURL: Swift.Error, CustomStringConvertible {
        public let url: String
        public var description: String { "\"\(url)\" is not a valid absolute URL" }
    }

    var scopeDictionary: OpenAPIKitCore.OrderedDictionary<String, String> {
        var map: OpenAPIKitCore.OrderedDictionary<String, String> = [:]
        for scope in scopes { map[scope.name] = scope.description }
        return map
    }

    /// The OAuth 2 flows with their URLs checked, nil without flows: what both OpenAPI versions' `OAuthFlows`
    /// are built from. A later flow of a kind replaces an earlier one.
    struct CheckedFlows {
        var implicit: URL?
        var authorizationCode: (authorization: URL, token: URL)?
        var clientCredentials: URL?
    }

    func checkedFlows() throws(InvalidURL) -> CheckedFlows? {
        if flows.isEmpty { return nil }
        var checked = CheckedFlows()
        for flow in flows {
            switch flow {
            case let .implicit(authorizationURL):
                checked.implicit = try Self.url(authorizationURL)
            case let .authorizationCode(authorizationURL, tokenURL):
                checked.authorizationCode = (try Self.url(authorizationURL), try Self.url(tokenURL))
            case let .clientCredentials(tokenURL):
                checked.clientCredentials = try Self.url(tokenURL)
            }
        }
        return checked
    }

    /// The scheme an operation's requirement names (OAuth 2 when there are flows, else OpenID Connect when
    /// configured, else bearer) and the scopes it lists (none for bearer, which has no scopes).
    func requirementScheme(scopes: [String]) -> (name: String, scopes: [String]) {
        let name = flows.isEmpty ? (openIDConnectURL == nil ? Self.bearerName : Self.openIDConnectName) : Self.oauth2Name
        return (name, name == Self.bearerName ? [] : scopes)
    }

    static let oauth2Description = "OAuth 2 access tokens (JWT), verified by LayabAuth"
    static let openIDConnectDescription = "OpenID Connect discovery"
    static let bearerDescription = "Authorization: Bearer <JWT>"

    static func url(_ text: String) throws(InvalidURL) -> URL {
        guard let url = URL(string: text), url.scheme != nil, url.host != nil else { throw InvalidURL(url: text) }
        return url
    }

    // MARK: OpenAPI 3.1

    /// `components.securitySchemes` for OpenAPI 3.1.
    public func components() throws(InvalidURL) -> OpenAPIKit.OpenAPI.Components {
        OpenAPIKit.OpenAPI.Components(securitySchemes: try securitySchemes31())
    }

    func securitySchemes31() throws(InvalidURL) -> OpenAPIKit.OpenAPI.ComponentReferenceDictionary<OpenAPIKit.OpenAPI.SecurityScheme> {
        typealias Flows = OpenAPIKit.OpenAPI.OAuthFlows
        var schemes: OpenAPIKit.OpenAPI.ComponentReferenceDictionary<OpenAPIKit.OpenAPI.SecurityScheme> = [:]
        if let checked = try checkedFlows() {
            let scopeMap = scopeDictionary
            schemes[.init(stringLiteral: Self.oauth2Name)] = .b(.oauth2(flows: Flows(
                implicit: checked.implicit.map { Flows.Implicit(authorizationUrl: $0, scopes: scopeMap) },
                clientCredentials: checked.clientCredentials.map { Flows.ClientCredentials(tokenUrl: $0, scopes: scopeMap) },
                authorizationCode: checked.authorizationCode.map { Flows.AuthorizationCode(authorizationUrl: $0.authorization, tokenUrl: $0.token, scopes: scopeMap) }),
                description: Self.oauth2Description))
        }
        if let openIDConnectURL {
            schemes[.init(stringLiteral: Self.openIDConnectName)] = .b(.openIdConnect(url: try Self.url(openIDConnectURL), description: Self.openIDConnectDescription))
        }
        if includesBearerJWT {
            schemes[.init(stringLiteral: Self.bearerName)] = .b(.http(scheme: "bearer", bearerFormat: "JWT", description: Self.bearerDescription))
        }
        return schemes
    }

    /// A security requirement for one operation: the OAuth 2 scheme with `scopes` (or, without OAuth 2
    /// flows, the OpenID Connect or bearer scheme).
    public func requirement(scopes: [String]) -> OpenAPIKit.OpenAPI.SecurityRequirement {
        let scheme = requirementScheme(scopes: scopes)
        return [.component(named: scheme.name): scheme.scopes]
    }

    // MARK: OpenAPI 3.0

    /// `components.securitySchemes` for OpenAPI 3.0.
    public func components30() throws(InvalidURL) -> OpenAPIKit30.OpenAPI.Components {
        typealias Flows = OpenAPIKit30.OpenAPI.OAuthFlows
        var schemes: OpenAPIKit30.OpenAPI.ComponentDictionary<OpenAPIKit30.OpenAPI.SecurityScheme> = [:]
        if let checked = try checkedFlows() {
            let scopeMap = scopeDictionary
            schemes[.init(stringLiteral: Self.oauth2Name)] = .oauth2(flows: Flows(
                implicit: checked.implicit.map { Flows.Implicit(authorizationUrl: $0, scopes: scopeMap) },
                clientCredentials: checked.clientCredentials.map { Flows.ClientCredentials(tokenUrl: $0, scopes: scopeMap) },
                authorizationCode: checked.authorizationCode.map { Flows.AuthorizationCode(authorizationUrl: $0.authorization, tokenUrl: $0.token, scopes: scopeMap) }),
                description: Self.oauth2Description)
        }
        if let openIDConnectURL {
            schemes[.init(stringLiteral: Self.openIDConnectName)] = .openIdConnect(url: try Self.url(openIDConnectURL), description: Self.openIDConnectDescription)
        }
        if includesBearerJWT {
            schemes[.init(stringLiteral: Self.bearerName)] = .http(scheme: "bearer", bearerFormat: "JWT", description: Self.bearerDescription)
        }
        return OpenAPIKit30.OpenAPI.Components(securitySchemes: schemes)
    }

    public func requirement30(scopes: [String]) -> OpenAPIKit30.OpenAPI.SecurityRequirement {
        let scheme = requirementScheme(scopes: scopes)
        return [.component(named: scheme.name): scheme.scopes]
    }

    // MARK: JSON

    public enum Version: String, Sendable, CaseIterable {
        case openAPI30 = "3.0"
        case openAPI31 = "3.1"
    }

    /// `{"components": {"securitySchemes": {...}}}` as JSON text, for pasting into a document.
    /// - Parameter errorResponses: also the error answers' `responses` and `schemas` (``BearerErrorResponses``).
    public func componentsFragmentJSON(_ version: Version, errorResponses: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        switch version {
        case .openAPI30:
            var components = try components30()
            if errorResponses { BearerErrorResponses().add(to: &components) }
            data = try encoder.encode(["components": components])
        case .openAPI31:
            var components = try components()
            if errorResponses { BearerErrorResponses().add(to: &components) }
            data = try encoder.encode(["components": components])
        }
        return String(decoding: data, as: UTF8.self)
    }
}

import OpenAPIKitCore
#endif
