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

    /// The algorithm, when `alg` names one LayabAuth implements.
    public var algorithm: Algorithm? { Algorithm(rawValue: algorithmName) }

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
            switch member.name.shortKey {
            case Self.algKey: alg = member.value
            case Self.kidKey: kid = member.value
            case Self.typKey: typ = member.value
            case Self.ctyKey: cty = member.value
            case Self.critKey: crit = member.value
            case Self.b64Key: b64 = member.value
            default: break
            }
        }
        guard let alg else { throw LayabAuthError(.malformed, "the header has no \"alg\" member (RFC 7515 §4.1.1)") }
        guard let algorithmName = alg.stringValue else { throw LayabAuthError(.malformed, "the header's \"alg\" is \(alg.typeName), not a string") }
        self.algorithmName = algorithmName
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

    private static let algKey = "alg".shortKey
    private static let kidKey = "kid".shortKey
    private static let typKey = "typ".shortKey
    private static let ctyKey = "cty".shortKey
    private static let critKey = "crit".shortKey
    private static let b64Key = "b64".shortKey
}
