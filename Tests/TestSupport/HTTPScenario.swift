import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// A framework-free description of what an adapter must answer: the verifier behind the app, the requests
/// sent one after another, and what each answer shows. One table (``HTTPScenario/table(exampleRealm:jsonContentType:)``)
/// runs against every framework, each through a small driver that builds the app and sends the requests.
public struct HTTPScenario: Sendable, CustomTestStringConvertible {
    /// The application the framework's driver builds around the verifier.
    public enum App: Sendable {
        /// The example app: GET /health, /me (any valid token), /admin (scope "admin").
        case example
        /// The application's own user type (`createUser`) whose scopes are its roles (`role:<name>`), realm
        /// "users": GET /me (id, token, scopes), /admin (a guard with realm "admins"), /reports (a check of
        /// "role:auditor" or "role:admin" in the handler).
        case users
        /// The application's own user type with the verifier's standard scopes: GET /write and /delete, each
        /// guarded by that scope.
        case usersWithStandardScopes
        /// The verified token as identity, realm "reports": GET /reports (a check of "reports:read" and
        /// "reports:export" in the handler), /archive (the application's own 403, no realm).
        case reports
        /// The verified token as identity, realm "api", refusals told as `disclosure` allows: GET /me.
        case disclosing(LayabAuthError.Disclosure)
        /// The verified token as identity, realm "api", ``HTTPScenario/senderConstraints`` (DPoP accepted at the
        /// origin "https://api.example", client certificates from the nginx header `X-SSL-Client-Cert`): GET /me
        /// (any token), GET /bound (a sender-constrained token required).
        case senderConstrained
    }

    /// The verifier behind the app.
    public enum Verifier: Sendable {
        /// A JWKSVerifier over a loopback JWKS server with the test issuer's keys.
        case jwks
        /// A JWKSVerifier whose JWKS server is already gone, retrying after `retryAfterFailure` seconds.
        case jwksServerGone(retryAfterFailure: Double)
        /// A JWKSVerifier whose keys expire at once (every request starts a background refresh).
        case jwksExpiringAtOnce
        /// ``jwks`` with tokens required to carry this audience.
        case jwksRequiring(audience: String)
        /// A MockVerifier that accepts any bearer token and yields `tokenBody`.
        case mock(tokenBody: JSONObject)
    }

    public enum Step: Sendable {
        case exchange(HTTPExchange)
        /// Stops the JWKS server.
        case stopKeyServer
        /// Waits (at most 30 s) until the key source reports an error, which must contain the text.
        case awaitKeySourceError(containing: String)
    }

    public let name: String
    public let app: App
    public let verifier: Verifier
    public let steps: [Step]
    /// How many times the JWKS server was asked for `/jwks.json` once every step ran (not checked when nil).
    public let keyServerRequests: Int?

    public var testDescription: String { name }

    public init(_ name: String, app: App, verifier: Verifier, keyServerRequests: Int? = nil, steps: [Step]) {
        self.name = name
        self.app = app
        self.verifier = verifier
        self.steps = steps
        self.keyServerRequests = keyServerRequests
    }
}

/// One request and what its answer must show.
public struct HTTPExchange: Sendable {
    /// What the request carries in `Authorization`.
    public enum Credential: Sendable {
        case none
        /// This header value, as it is.
        case header(String)
        /// "Bearer <token>" for a token the scenario's issuer signs with these claims.
        case token(JSONObject)
        /// "Bearer <token>" for a forged token of the scenario's issuer.
        case forged(TestIssuer.Forgery)
        /// A token bound to the scenario's DPoP key, with these claims, sent with `scheme` and the proof `proof`
        /// describes.
        case dpop(JSONObject, scheme: String = "DPoP", proof: DPoPProofChoice = .valid)
        /// "Bearer <token>" bound to the client certificate whose thumbprint is `thumbprint`, with the
        /// certificate header value `certificateHeader` (none when nil).
        case certificateBound(JSONObject, thumbprint: String, certificateHeader: String?)
    }

    /// The `DPoP` header of a ``Credential/dpop(_:scheme:proof:)`` request.
    public enum DPoPProofChoice: Sendable {
        /// A fresh proof for this request, signed by the key the token is bound to.
        case valid
        /// No `DPoP` header.
        case none
        /// A fresh proof signed by another key.
        case otherKey
        /// A fresh proof for another URI.
        case otherURI
        /// The proof the previous DPoP request of the scenario sent, again.
        case replayed
    }

    /// What a header must hold; the name is matched without regard to case.
    public enum HeaderCheck: Sendable {
        case equals(String, String)
        case hasPrefix(String, String)
        case contains(String, String)
        /// The header is present and does not contain the text.
        case lacks(String, String)
        case present(String)
        /// The header's values, in order, start with these prefixes (one value per prefix, no other value).
        case valuesHavePrefixes(String, [String])
    }

    /// What the body must hold.
    public enum BodyCheck: Sendable {
        /// The body, as text, is exactly this.
        case text(String)
        /// The body is a JSON object whose member has this value.
        case member(String, JSONValue)
        /// The body is a JSON object whose member is a string containing this text.
        case memberContains(String, String)
        /// The body is a JSON object whose member is a string that does not contain this text.
        case memberLacks(String, String)
        /// The body is a JSON object whose member is the token this request carried.
        case memberIsSentToken(String)
    }

    /// Names the request in a failure, beside the scenario's name.
    public let label: String
    public let method: String
    public let path: String
    public let credential: Credential
    public let status: Int
    public let headers: [HeaderCheck]
    public let body: [BodyCheck]

    public init(_ label: String, _ path: String, _ credential: Credential = .none, method: String = "GET", status: Int,
                headers: [HeaderCheck] = [], body: [BodyCheck] = [])
    {
        self.label = label
        self.method = method
        self.path = path
        self.credential = credential
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A request as a framework's driver sends it.
public struct ScenarioRequest: Sendable {
    public let method: String
    /// Starts with "/".
    public let path: String
    public let headers: [(name: String, value: String)]
}

/// An answer as a framework's driver received it.
public struct ScenarioReply: Sendable {
    public let status: Int
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name`, matched without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of a header, in order.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}
