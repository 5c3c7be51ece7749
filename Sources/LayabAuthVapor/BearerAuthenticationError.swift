#if Vapor
import LayabAuth
import Vapor

/// A refused request as Vapor answers it: RFC 6750 status, `WWW-Authenticate`, and a JSON body
/// `{"error": …, "error_description": …}`. The one place LayabAuth errors map to Vapor.
public struct BearerAuthenticationError: AbortError, CustomStringConvertible {
    public let error: LayabAuthError
    public let realm: String?
    /// How much of ``error`` the client is told (`.limited`: nothing of the server's configuration or keys).
    public let disclosure: LayabAuthError.Disclosure

    public init(_ error: LayabAuthError, realm: String?, disclosure: LayabAuthError.Disclosure = .limited) {
        self.error = error
        self.realm = realm
        self.disclosure = disclosure
    }

    public var status: HTTPResponseStatus { HTTPResponseStatus(statusCode: error.httpStatus) }
    public var reason: String { error.disclosedMessage(disclosure) }
    public var description: String { error.description }

    public var headers: HTTPHeaders {
        var headers = HTTPHeaders()
        for header in error.challenge(realm: realm, disclosure: disclosure).headers { headers.add(name: header.name, value: header.value) }
        return headers
    }

    /// The full response, body included (Vapor's own error middleware would write its own body shape).
    public var response: Response {
        let challenge = error.challenge(realm: realm, disclosure: disclosure)
        var headers = self.headers
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(string: challenge.body))
    }
}

/// Renders ``BearerAuthenticationError`` thrown from handlers (`Request.requireScopes(_:realm:)`) with
/// the RFC 6750 body. ``BearerTokenAuthenticator`` already does this for the routes it guards; add this
/// middleware only where a handler checks scopes on a route without the authenticator in front of it.
public struct BearerErrorMiddleware: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do { return try await next.respond(to: request) } catch let error as BearerAuthenticationError {
            return error.response
        }
    }
}
#endif
