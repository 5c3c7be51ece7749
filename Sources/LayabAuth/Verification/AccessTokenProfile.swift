/// Whether a token satisfies the JWT access-token profile (RFC 9068), and why not.
///
/// Evaluated for every decoded token, whatever the verifier requires: the tools show it so that a person
/// sees whether ``VerifierConfiguration/requireAccessTokenProfile()`` would accept the token. It checks
/// only the token's shape (its `typ` and the profile's claims and their types), never the signature or
/// the configuration's issuers and audiences.
public struct AccessTokenProfile: Sendable, Hashable {
    /// The claims RFC 9068 §2.2 requires, in its order.
    public static let requiredClaims = ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"]

    /// Each way the token departs from the profile, e.g. `typ is "JWT", not "at+jwt"`, `no client_id`,
    /// `exp not a number`; empty when it satisfies it.
    public let reasons: [String]

    public var isSatisfied: Bool { reasons.isEmpty }

    /// `yes`, or `no (` the reasons separated by `; ` `)`: the line the tools show.
    public var summary: String { isSatisfied ? "yes" : "no (\(reasons.joined(separator: "; ")))" }

    public init(reasons: [String]) { self.reasons = reasons }

    /// The profile's verdict on a decoded token (`claims` nil: its payload is no claims set).
    public init(header: JOSEHeader, claims: Claims?) {
        var reasons: [String] = []
        if let type = header.type {
            if !TokenType.matches(type, TokenType.accessToken) { reasons.append("typ is \"\(LayabAuthError.shown(type))\", not \"\(TokenType.accessToken)\"") }
        } else {
            reasons.append("no typ")
        }
        // RFC 9068 §2.1: never unsigned.
        if header.algorithmName.hasSameUTF8(as: "none") { reasons.append("alg is \"none\"") }
        guard let claims else {
            self.init(reasons: reasons + ["the payload is not a claims set"])
            return
        }
        for name in Self.requiredClaims {
            guard let value = claims[name] else {
                reasons.append("no \(name)")
                continue
            }
            if let expected = Self.typeProblem(name, value) { reasons.append("\(name) not \(expected)") }
        }
        self.init(reasons: reasons)
    }

    /// The profile's verdict on a decoded token.
    public init(_ decoded: DecodedToken) { self.init(header: decoded.header, claims: decoded.claims) }

    /// What a present claim of the profile should have been, when it is not (RFC 9068 §2.2, RFC 7519 §4.1).
    private static func typeProblem(_ name: String, _ value: JSONValue) -> String? {
        switch name {
        case "exp", "iat":
            return value.doubleValue == nil ? "a number" : nil
        case "aud":
            if case .string = value { return nil }
            if case let .array(values) = value, !values.isEmpty, values.allSatisfy({ $0.stringValue != nil }) { return nil }
            return "a string or an array of strings"
        default:
            return value.stringValue == nil ? "a string" : nil
        }
    }
}

extension VerificationReport {
    /// Whether the token satisfies RFC 9068 and why not; nil when it could not be decoded at all.
    public var accessTokenProfile: AccessTokenProfile? { decoded.map(AccessTokenProfile.init) }
}

extension VerifierConfiguration {
    /// Requires the JWT access-token profile (RFC 9068): ``requiredTypes`` becomes `["at+jwt"]` and the
    /// profile's claims (``AccessTokenProfile/requiredClaims``) are added to ``requiredClaims``. The issuers
    /// and audiences to accept are still the application's to set.
    public mutating func requireAccessTokenProfile() {
        requiredTypes = [TokenType.accessToken]
        for claim in AccessTokenProfile.requiredClaims where !requiredClaims.contains(where: { $0.hasSameUTF8(as: claim) }) {
            requiredClaims.append(claim)
        }
    }

    /// This configuration requiring the JWT access-token profile (see ``requireAccessTokenProfile()``).
    public func requiringAccessTokenProfile() -> VerifierConfiguration {
        var configuration = self
        configuration.requireAccessTokenProfile()
        return configuration
    }
}

extension Claims {
    /// `client_id` (RFC 9068 §2.2, RFC 8693 §4.3) when it is a string: the client the token was issued to.
    public var clientID: String? { self["client_id"]?.stringValue }
}

extension VerifiedToken {
    /// `client_id` when it is a string: the client the token was issued to (RFC 9068 §2.2).
    public var clientID: String? { claims.clientID }
}
