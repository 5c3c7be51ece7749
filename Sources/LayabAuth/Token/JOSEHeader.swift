/// The protected header of a JWS (RFC 7515 §4), with typed access to the members LayabAuth acts on.
public struct JOSEHeader: Sendable, Hashable {
    /// Every member, in document order.
    public let members: JSONObject

    /// `alg` as written (always present; it may name an algorithm LayabAuth does not support).
    public let algorithmName: String
    public let kid: String?
    public let type: String?
    public let contentType: String?
    /// `crit` (RFC 7515 §4.1.11), when present.
    public let critical: [String]?

    /// The algorithm, when `alg` names one LayabAuth implements (looked up once, when the header is read).
    public let algorithm: Algorithm?

    /// Header members that carry or point to keys. LayabAuth never uses them to obtain a verification
    /// key (RFC 8725 §3.10); they are listed so the inspector can show that they were ignored.
    public var embeddedKeyMembers: [String] {
        ["jwk", "jku", "x5u", "x5c"].filter { members[$0] != nil }
    }

    public subscript(name: String) -> JSONValue? { members[name] }

    /// `b64` (RFC 7797), when present; LayabAuth refuses any value but `true`.
    let unencodedPayload: JSONValue?

    /// Validates the header members RFC 7515 defines.
    public init(_ members: JSONObject) throws(LayabAuthError) {
        try self.init(members, positions: MemberPositions(of: members, in: Member.names.known))
    }

    /// The names of the members LayabAuth acts on, for the parser to find (``JSONParser/parse(_:finding:)``).
    static var memberNames: KnownNames { Member.names.known }

    /// A header whose members LayabAuth acts on the parser already found.
    init(_ members: JSONObject, positions: MemberPositions) throws(LayabAuthError) {
        self.members = members
        func value(_ member: Member) -> JSONValue? { positions.value(of: member.rawValue, named: member.name, in: members) }
        let alg = value(.alg), kid = value(.kid), typ = value(.typ), cty = value(.cty), crit = value(.crit), b64 = value(.b64)
        guard let alg else { throw LayabAuthError(.malformed, "the header has no \"alg\" member (RFC 7515 §4.1.1)") }
        guard let algorithmName = alg.stringValue else { throw LayabAuthError(.malformed, "the header's \"alg\" is \(alg.typeName), not a string") }
        self.algorithmName = algorithmName
        algorithm = Algorithm.named(algorithmName)
        func optionalString(_ value: JSONValue?, _ name: String) throws(LayabAuthError) -> String? {
            guard let value else { return nil }
            guard let string = value.stringValue else { throw LayabAuthError(.malformed, "the header's \"\(name)\" is \(value.typeName), not a string") }
            return string
        }
        self.kid = try optionalString(kid, "kid")
        type = try optionalString(typ, "typ")
        contentType = try optionalString(cty, "cty")
        unencodedPayload = b64
        if let crit {
            guard let array = crit.arrayValue, !array.isEmpty else {
                throw LayabAuthError(.malformed, "the header's \"crit\" must be a non-empty array of names (RFC 7515 §4.1.11)")
            }
            var names: [String] = []
            for element in array {
                guard let name = element.stringValue else { throw LayabAuthError(.malformed, "the header's \"crit\" holds \(element.typeName), not only names") }
                names.append(name)
            }
            critical = names
        } else {
            critical = nil
        }
    }

    /// The members LayabAuth acts on, spelled as their cases.
    /// As ``RegisteredClaim``: the raw values are the places in `allCases`, which are the indices in ``names``.
    private enum Member: Int, CaseIterable, Sendable {
        case alg, kid, typ, cty, crit, b64

        var name: String {
            switch self {
            case .alg: "alg"
            case .kid: "kid"
            case .typ: "typ"
            case .cty: "cty"
            case .crit: "crit"
            case .b64: "b64"
            }
        }

        static let names = MemberNames<Member>(\.name)
    }
}
