/// The claims of a JWT (RFC 7519 §4): every member as JSON, and typed accessors for the registered ones.
///
/// Typed accessors return nil both when a claim is absent and when it has the wrong type; the verifier's
/// checks tell the two apart and report a wrong type as `invalid_claim`.
public struct Claims: Sendable, Hashable {
    public let members: JSONObject

    public init(_ members: JSONObject) { self.members = members }

    public subscript(name: String) -> JSONValue? { members[name] }

    public var issuer: String? { members["iss"]?.stringValue }
    public var subject: String? { members["sub"]?.stringValue }
    public var jwtID: String? { members["jti"]?.stringValue }

    /// `aud` as a list, whether written as one string or an array of strings.
    public var audience: [String]? {
        switch members["aud"] {
        case let .string(single)?: return [single]
        case let .array(values)?:
            let strings = values.compactMap(\.stringValue)
            return strings.count == values.count ? strings : nil
        default: return nil
        }
    }

    /// `exp` in seconds since 1970.
    public var expiresAt: Double? { try? NumericDate.read(members, "exp") }
    /// `nbf` in seconds since 1970.
    public var notBefore: Double? { try? NumericDate.read(members, "nbf") }
    /// `iat` in seconds since 1970.
    public var issuedAt: Double? { try? NumericDate.read(members, "iat") }

    /// The claims as one JSON object value.
    public var json: JSONValue { .object(members) }
}

/// RFC 7519 §2 NumericDate: a JSON number of seconds since 1970, integer or not. Strings, booleans and
/// anything outside ±10^11 seconds (year 5138) are refused; JSON itself cannot carry NaN or infinities,
/// and the parser refuses numbers that overflow to infinity.
enum NumericDate {
    static let limit = 1e11

    static func read(_ members: JSONObject, _ name: String) throws(LayabAuthError) -> Double? {
        guard let value = members[name] else { return nil }
        let seconds: Double
        switch value {
        case let .integer(i): seconds = Double(i)
        case let .number(d): seconds = d
        default:
            throw LayabAuthError(.invalidClaim, "\"\(name)\" must be a NumericDate (a JSON number of seconds), found \(value.typeName)")
        }
        guard seconds.isFinite, abs(seconds) < limit else {
            throw LayabAuthError(.invalidClaim, "\"\(name)\" = \(JSONValue.format(seconds)) is outside the supported range of dates")
        }
        return seconds
    }
}
