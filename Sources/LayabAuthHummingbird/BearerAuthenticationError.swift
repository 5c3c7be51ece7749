#if Hummingbird
import Foundation
import HTTPTypes
import Hummingbird
import LayabAuth

/// A refused request as Hummingbird answers it: RFC 6750 status, `WWW-Authenticate`, and a JSON body
/// `{"error": …, "error_description": …}`. The one place LayabAuth errors map to Hummingbird.
public struct BearerAuthenticationError: HTTPResponseError, CustomStringConvertible {
    public let error: LayabAuthError
    public let realm: String?
    /// How much of ``error`` the client is told (`.limited`: nothing of the server's configuration or keys).
    public let disclosure: LayabAuthError.Disclosure

    public init(_ error: LayabAuthError, realm: String?, disclosure: LayabAuthError.Disclosure = .limited) {
        self.error = error
        self.realm = realm
        self.disclosure = disclosure
    }

    public var status: HTTPResponse.Status { HTTPResponse.Status(code: error.httpStatus) }

    public var description: String { error.description }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let challenge = error.challenge(realm: realm, disclosure: disclosure)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        for header in challenge.headers {
            // Appended: a server that accepts DPoP and Bearer sends a WWW-Authenticate challenge for each.
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: challenge.body)))
    }
}
#endif
