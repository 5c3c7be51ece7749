/// The claims of a JWT (RFC 7519 §4): every member as JSON, and typed accessors for the registered ones.
///
/// Typed accessors return nil both when a claim is absent and when it has the wrong type; the verifier's
/// checks tell the two apart and report a wrong type as `invalid_claim`.
public struct Claims: Sendable, Hashable {
    public let members: JSONObject
    /// Where each registered claim sits in `members` (by ``RegisteredClaim`` order), found when the claims are
    /// made (by the parser, for a token's): a verification looks them up a dozen times.
    private let positions: MemberPositions

    public init(_ members: JSONObject) {
        self.init(members, positions: MemberPositions(of: members, in: RegisteredClaim.names.known))
    }

    /// Claims whose registered members the parser already found (``JSONParser/parse(_:finding:)`` with
    /// ``RegisteredClaim/names``).
    init(_ members: JSONObject, positions: MemberPositions) {
        self.members = members
        self.positions = positions
    }

    /// The member called `name`; registered claim names are found without a search.
    public subscript(name: String) -> JSONValue? {
        if let claim = RegisteredClaim(name: name) { return self[claim] }
        return members[name]
    }

    subscript(claim: RegisteredClaim) -> JSONValue? {
        positions.value(of: claim.rawValue, named: claim.name, in: members)
    }

    public var issuer: String? { self[.iss]?.stringValue }
    public var subject: String? { self[.sub]?.stringValue }
    public var jwtID: String? { self[.jti]?.stringValue }

    /// `aud` as a list, whether written as one string or an array of strings.
    public var audience: [String]? {
        switch self[.aud] {
        case let .string(single)?: return [single]
        case let .array(values)?:
            let strings = values.compactMap(\.stringValue)
            return strings.count == values.count ? strings : nil
        default: return nil
        }
    }

    /// `exp` in seconds since 1970.
    public var expiresAt: Double? { try? NumericDate.read(self, .exp) }
    /// `nbf` in seconds since 1970.
    public var notBefore: Double? { try? NumericDate.read(self, .nbf) }
    /// `iat` in seconds since 1970.
    public var issuedAt: Double? { try? NumericDate.read(self, .iat) }

    /// The claims as one JSON object value.
    public var json: JSONValue { .object(members) }

    // Equal claims have equal members; where the registered ones sit follows from them.
    public static func == (lhs: Claims, rhs: Claims) -> Bool { lhs.members == rhs.members }
    public func hash(into hasher: inout Hasher) { hasher.combine(members) }
}

/// The claims the verifier and the standard scope extractor read. Their raw values are their places in
/// `allCases`, which are their indices in ``names``.
enum RegisteredClaim: Int, CaseIterable {
    case exp, nbf, iat, iss, aud, sub, jti, scope, scp, scopes

    var name: String {
        switch self {
        case .exp: "exp"
        case .nbf: "nbf"
        case .iat: "iat"
        case .iss: "iss"
        case .aud: "aud"
        case .sub: "sub"
        case .jti: "jti"
        case .scope: "scope"
        case .scp: "scp"
        case .scopes: "scopes"
        }
    }

    /// The registered claims' names, for finding them among a token's members.
    static let names = MemberNames<RegisteredClaim>(\.name)

    /// The registered claim with exactly this name (byte for byte), if any.
    init?(name: String) {
        guard let claim = Self.names.name(of: name) else { return nil }
        self = claim
    }
}

/// RFC 7519 §2 NumericDate: a JSON number of seconds since 1970, integer or not. Strings, booleans and
/// anything outside ±10^11 seconds (year 5138) are refused; JSON itself cannot carry NaN or infinities,
/// and the parser refuses numbers that overflow to infinity.
enum NumericDate {
    static let limit = 1e11

    static func read(_ claims: Claims, _ claim: RegisteredClaim) throws(LayabAuthError) -> Double? {
        try read(claims[claim], named: claim.name)
    }

    /// The NumericDate `value` of the claim `name` (one the verifier does not register, such as `auth_time`).
    static func read(_ value: JSONValue?, named name: String) throws(LayabAuthError) -> Double? {
        guard let value else { return nil }
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
