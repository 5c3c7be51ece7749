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
        self.members = members
        // The members LayabAuth acts on, found in one pass: a header is read once per token, and looking
        // each name up would compare it with every member's name.
        var alg: JSONValue?, kid: JSONValue?, typ: JSONValue?, cty: JSONValue?, crit: JSONValue?, b64: JSONValue?
        for index in members.members.indices {
            let member = members.members[index]
            switch Member.names.name(of: member.name) {
            case .alg?: alg = member.value
            case .kid?: kid = member.value
            case .typ?: typ = member.value
            case .cty?: cty = member.value
            case .crit?: crit = member.value
            case .b64?: b64 = member.value
            case nil: break
            }
        }
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
    private enum Member: String, CaseIterable, Sendable {
        case alg, kid, typ, cty, crit, b64
        static let names = MemberNames<Member>(\.rawValue)
    }
}
