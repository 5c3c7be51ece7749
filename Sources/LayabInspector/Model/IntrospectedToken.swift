import LayabAuth
import LayabAuthJWKS

/// An opaque token the inspector asked the introspection endpoint about (RFC 7662), and the answer once it came.
package struct IntrospectedToken: Sendable {
    /// The token asked about: the answer is shown only while it is the token inspected.
    package let token: String
    /// Nil while the request runs.
    package var report: IntrospectionReport?

    package init(token: String, report: IntrospectionReport? = nil) {
        self.token = token
        self.report = report
    }
}

extension InspectorState {
    /// The introspection of the token shown, when there is one for it.
    package var shownIntrospection: IntrospectedToken? {
        guard let introspected, introspected.token == token, !token.isEmpty else { return nil }
        return introspected
    }

    /// The token to ask the introspection endpoint about now: the token shown, when an endpoint is configured,
    /// the token is not a JWT and it was not asked about yet.
    package var tokenToIntrospect: String? {
        guard introspectionEndpoint != nil, !token.isEmpty, !HybridVerifier.isJWSShaped(token), introspected?.token != token else { return nil }
        return token
    }
}
